from django.conf import settings
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView
from rest_framework_simplejwt.exceptions import InvalidToken, TokenError
from rest_framework_simplejwt.views import TokenRefreshView

from accounts.exceptions import InvalidCredentials
from accounts.serializers import (
    AuthSerializer,
    LogoutSerializer,
    UserLoginSerializer,
    UserRegisterSerializer,
    UserSerializer,
)
from accounts.services import tokens_for, user_authenticate, user_logout, user_register
from luxyhome.api.exceptions import BEARER_CHALLENGE
from luxyhome.api.ratelimit import client_ip, rate_limit
from luxyhome.api.views import NoStoreMixin


class PublicAuthView(NoStoreMixin, APIView):
    """Sign-up and sign-in: open to anyone, and a stale bearer token must not get in the way."""

    authentication_classes = []
    permission_classes = [AllowAny]

    def get_authenticate_header(self, request):
        return BEARER_CHALLENGE  # keeps 401 a 401: DRF turns it into 403 without a challenge


class RegisterView(PublicAuthView):
    @extend_schema(request=UserRegisterSerializer, responses={201: AuthSerializer})
    def post(self, request):
        rate_limit(request, group="register", key=client_ip(request), rate=settings.REGISTER_RATE)
        user = user_register(**UserRegisterSerializer.validate_data(request.data))
        return Response({"user": UserSerializer(user).data, **tokens_for(user)}, status=status.HTTP_201_CREATED)


class LoginView(PublicAuthView):
    @extend_schema(request=UserLoginSerializer, responses={200: AuthSerializer})
    def post(self, request):
        rate_limit(request, group="login", key=client_ip(request), rate=settings.LOGIN_RATE)
        data = UserLoginSerializer.validate_data(request.data)
        failures = {"group": "login-failure", "key": data["email"].lower(), "rate": settings.LOGIN_FAILURE_RATE}
        rate_limit(request, increment=False, **failures)
        try:
            user = user_authenticate(request=request, **data)
        except InvalidCredentials:
            rate_limit(request, **failures)
            raise
        return Response({"user": UserSerializer(user).data, **tokens_for(user)})


class RefreshView(NoStoreMixin, TokenRefreshView):
    """simplejwt's refresh: a new pair, and the presented refresh token is blacklisted."""


class LogoutView(NoStoreMixin, APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(request=LogoutSerializer, responses={204: None})
    def post(self, request):
        data = LogoutSerializer.validate_data(request.data)
        try:
            user_logout(refresh=data["refresh"], access=request.auth)
        except TokenError as error:
            raise InvalidToken(error.args[0]) from None
        return Response(status=status.HTTP_204_NO_CONTENT)


class MeView(NoStoreMixin, APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(responses=UserSerializer)
    def get(self, request):
        return Response(UserSerializer(request.user).data)

    @extend_schema(request=UserSerializer, responses=UserSerializer)
    def patch(self, request):
        serializer = UserSerializer(request.user, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        serializer.save()
        return Response(serializer.data)
