from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.db.models.functions import Lower

EMAIL_TAKEN = "A user with this email already exists."


class UserManager(BaseUserManager):
    use_in_migrations = True

    def get_by_natural_key(self, email):
        # Lower() matches the case-insensitive unique index, so the login lookup uses it
        return self.alias(email_lower=Lower("email")).get(email_lower=email.lower())

    def create_user(self, email, password=None, **fields):
        user = self.model(email=self.normalize_email(email), **fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email, password=None, **fields):
        return self.create_user(email, password, is_staff=True, is_superuser=True, **fields)


class User(AbstractBaseUser, PermissionsMixin):
    """A Luxyhome account; the email is the login, unique whatever its case."""

    email = models.EmailField(unique=True)
    name = models.CharField(max_length=150)
    is_active = models.BooleanField(default=True)
    is_staff = models.BooleanField(default=False, help_text="Can sign in to the administration.")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["name"]

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                Lower("email"), name="accounts_user_email_ci_unique", violation_error_message=EMAIL_TAKEN
            ),
        ]

    def __str__(self):
        return self.email


class DeniedAccessToken(models.Model):
    """An access token ended by logout before it expired; refused until it would have expired."""

    jti = models.CharField(max_length=255, primary_key=True)
    expires_at = models.DateTimeField(db_index=True)

    def __str__(self):
        return self.jti
