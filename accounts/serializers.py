from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import serializers

from accounts.models import User
from luxyhome.api.serializers import InputSerializer


class UserSerializer(serializers.ModelSerializer):
    class Meta:
        model = User
        fields = ["id", "name", "email", "is_staff", "created_at"]
        read_only_fields = ["id", "email", "is_staff", "created_at"]


class UserRegisterSerializer(InputSerializer):
    name = serializers.CharField(max_length=150)
    email = serializers.EmailField(max_length=254)
    password = serializers.CharField(max_length=128, write_only=True, trim_whitespace=False)

    def validate(self, attrs):
        try:
            validate_password(attrs["password"], user=User(email=attrs["email"], name=attrs["name"]))
        except DjangoValidationError as error:
            raise serializers.ValidationError({"password": list(error.messages)}) from None
        return attrs


class UserLoginSerializer(InputSerializer):
    email = serializers.EmailField(max_length=254)
    password = serializers.CharField(max_length=128, write_only=True, trim_whitespace=False)


class LogoutSerializer(InputSerializer):
    refresh = serializers.CharField()


class AuthSerializer(serializers.Serializer):
    """The answer to register and login: who signed in and their tokens."""

    user = UserSerializer()
    access = serializers.CharField()
    refresh = serializers.CharField()
