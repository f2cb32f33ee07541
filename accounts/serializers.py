from django.contrib.auth.password_validation import (
    MinimumLengthValidator,
    get_default_password_validators,
    validate_password,
)
from django.core.exceptions import ValidationError as DjangoValidationError
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from accounts.models import User, email_for_new_account
from luxyhome.api.serializers import InputSerializer, ModelSerializer, ValidateDataMixin


@extend_schema_field(
    # not all digits, no NUL; the validators also refuse common passwords and ones like the name or email
    {"type": "string", "format": "password", "pattern": r"^[^\x00]*[^\x00\d][^\x00]*$"}
)
class NewPasswordField(serializers.CharField):
    """A password to set: Django's password validators decide (AUTH_PASSWORD_VALIDATORS).

    Their minimum length is checked here too, with their message, so the schema can say it.
    """

    def __init__(self, **kwargs):
        validators = get_default_password_validators()
        minimum = next((v for v in validators if isinstance(v, MinimumLengthValidator)), None)
        if minimum is not None:
            kwargs.update(min_length=minimum.min_length, error_messages={"min_length": minimum.get_error_message()})
        super().__init__(max_length=128, write_only=True, trim_whitespace=False, **kwargs)


class UserSerializer(ModelSerializer):
    """A user account; never its password."""

    class Meta:
        model = User
        fields = ["id", "name", "email", "email_verified", "is_staff", "created_at"]
        read_only_fields = ["id", "email", "email_verified", "is_staff", "created_at"]


class UserUpdateSerializer(ValidateDataMixin, ModelSerializer):
    """What users may change of their own account: `{name}`."""

    class Meta:
        model = User
        fields = ["name"]


class UserRegisterSerializer(InputSerializer):
    """Sign-up: `{name, email, password}`."""

    name = serializers.CharField(max_length=150)
    email = serializers.EmailField(max_length=254)
    password = NewPasswordField()

    def validate_email(self, email: str) -> str:
        return email_for_new_account(email)

    def validate(self, attrs):
        try:
            validate_password(attrs["password"], user=User(email=attrs["email"], name=attrs["name"]))
        except DjangoValidationError as error:
            raise serializers.ValidationError({"password": list(error.messages)}) from None
        return attrs


class UserLoginSerializer(InputSerializer):
    """Sign-in: `{email, password}`."""

    email = serializers.EmailField(max_length=254)
    password = serializers.CharField(max_length=128, write_only=True, trim_whitespace=False)


class LogoutSerializer(InputSerializer):
    """Sign-out: the session's refresh token."""

    refresh = serializers.CharField()


class AuthSerializer(serializers.Serializer):
    """The answer to register and login: who signed in and their tokens."""

    user = UserSerializer()
    access = serializers.CharField()
    refresh = serializers.CharField()


class RefreshSerializer(InputSerializer):
    """Token refresh: the refresh token to trade."""

    refresh = serializers.CharField()


class TokenPairSerializer(serializers.Serializer):
    """A new session's tokens (refresh, password change)."""

    access = serializers.CharField()
    refresh = serializers.CharField()


class DetailSerializer(serializers.Serializer):
    """An answer that only says what happens next."""

    detail = serializers.CharField()


class PasswordChangeSerializer(InputSerializer):
    """Password change: `{current_password, new_password}`."""

    current_password = serializers.CharField(max_length=128, write_only=True, trim_whitespace=False)
    new_password = NewPasswordField()


class PasswordResetSerializer(InputSerializer):
    """Forgotten password: `{email}`, where the reset link goes."""

    email = serializers.EmailField(max_length=254)


class PasswordResetConfirmSerializer(InputSerializer):
    """A new password through a reset link: `{uid, token, password}`, the first two from the link."""

    uid = serializers.CharField(max_length=64)
    token = serializers.CharField(max_length=128)
    password = NewPasswordField()


class EmailVerifySerializer(InputSerializer):
    """E-mail verification: `{token}` from the link."""

    token = serializers.CharField(max_length=256)
