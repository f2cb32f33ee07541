import math

from django.contrib import admin
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import AdminPasswordChangeForm, AdminUserCreationForm, UserChangeForm
from django.core.exceptions import ValidationError
from rest_framework.exceptions import Throttled

from accounts.exceptions import InvalidCredentials
from accounts.models import User, email_for_new_account
from accounts.services import user_authenticate, user_sessions_end


class UserCreationForm(AdminUserCreationForm):
    class Meta(AdminUserCreationForm.Meta):
        model = User
        fields = ["email", "name"]

    def clean_email(self):
        return email_for_new_account(self.cleaned_data["email"])


class UserEditForm(UserChangeForm):
    class Meta(UserChangeForm.Meta):
        model = User
        fields = "__all__"


class PasswordSetForm(AdminPasswordChangeForm):
    """A password staff set ends every session of the account, as the owner's own change does."""

    def save(self, commit=True):
        user = super().save(commit)
        user_sessions_end(user=user, token_version=user.token_version)
        return user


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    add_form = UserCreationForm
    form = UserEditForm
    change_password_form = PasswordSetForm
    list_display = ["email", "name", "is_staff", "is_active", "created_at"]
    list_filter = ["is_staff", "is_superuser", "is_active"]
    search_fields = ["email", "name"]
    ordering = ["-created_at"]
    readonly_fields = ["created_at", "last_login"]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        ("Profile", {"fields": ["name"]}),
        ("Permissions", {"fields": ["is_active", "is_staff", "is_superuser", "groups", "user_permissions"]}),
        ("Dates", {"fields": ["last_login", "created_at"]}),
    ]
    add_fieldsets = [
        (None, {"classes": ["wide"], "fields": ["email", "name", "usable_password", "password1", "password2"]}),
    ]


class AdminLoginForm(AdminAuthenticationForm):
    """The admin's sign-in, through the same service and limits as the API's (accounts.services)."""

    def clean(self):
        email, password = self.cleaned_data.get("username"), self.cleaned_data.get("password")
        if email and password:
            try:
                self.user_cache = user_authenticate(request=self.request, email=email, password=password)
            except InvalidCredentials:
                raise self.get_invalid_login_error() from None
            except Throttled as throttled:
                message = f"Too many sign-in attempts: try again in {math.ceil(throttled.wait)} seconds."
                raise ValidationError(message, code="throttled") from None
            self.confirm_login_allowed(self.user_cache)
        return self.cleaned_data


admin.site.login_form = AdminLoginForm
