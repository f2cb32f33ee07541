import contextlib
import unicodedata

from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Value
from django.db.models.functions import Lower

EMAIL_TAKEN = "A user with this email already exists."
NON_ASCII_EMAIL = "Use an address whose part before the @ is plain ASCII (letters a-z, digits, dots and dashes)."


def email_normalize(email: str) -> str:
    """The one form of an address that sign-up, login, password reset and the admin use: NFKC, so a
    look-alike letter (the long s, the Kelvin sign) becomes the letter it looks like, and the domain as
    lower-case ASCII (IDNA). The local part keeps its case: the database compares addresses
    case-insensitively, lower-casing both sides itself (Python and PostgreSQL lower İ differently)."""
    email = unicodedata.normalize("NFKC", email).strip()
    local, at, domain = email.rpartition("@")
    if not at:
        return email
    with contextlib.suppress(UnicodeError):  # not a domain name: the address's validation says so
        domain = domain.encode("idna").decode("ascii")
    return f"{local}@{domain.lower()}"


def email_for_new_account(email: str) -> str:
    """`email` normalised, if an account may be made with it: the part before the @ must be ASCII,
    so no address can be registered that looks like another's. Raises ValidationError."""
    email = email_normalize(email)
    if not email.rpartition("@")[0].isascii():
        raise ValidationError(NON_ASCII_EMAIL, code="invalid")
    return email


class UserManager(BaseUserManager):
    use_in_migrations = True

    def get_by_natural_key(self, email):
        return self.with_email(email).get()

    def with_email(self, email: str) -> models.QuerySet:
        """The account of `email`, whatever its case: Lower() on both sides matches the case-insensitive
        unique index, so the lookup uses it."""
        return self.alias(email_lower=Lower("email")).filter(email_lower=Lower(Value(email_normalize(email))))

    def create_user(self, email, password=None, **fields):
        user = self.model(email=email_normalize(email), **fields)
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
    email_verified = models.BooleanField(default=False, help_text="The owner followed the link sent to the address.")
    # in every access and refresh token; one more ends every session issued before (accounts.tokens)
    token_version = models.PositiveIntegerField(default=0, editable=False)
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
