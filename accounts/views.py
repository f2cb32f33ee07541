from django.conf import settings
from drf_spectacular.utils import OpenApiExample, extend_schema, extend_schema_view
from rest_framework import status
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView
from rest_framework_simplejwt.exceptions import InvalidToken, TokenError
from rest_framework_simplejwt.serializers import TokenRefreshSerializer
from rest_framework_simplejwt.views import TokenRefreshView

from accounts.serializers import (
    AuthSerializer,
    LogoutSerializer,
    UserLoginSerializer,
    UserRegisterSerializer,
    UserSerializer,
    UserUpdateSerializer,
)
from accounts.services import tokens_for, user_authenticate, user_logout, user_register, user_update
from luxyhome.api.exceptions import BEARER_CHALLENGE
from luxyhome.api.ratelimit import client_ip, rate_limit
from luxyhome.api.schema import problems
from luxyhome.api.views import NoStoreMixin

TOKEN_NOT_VALID = {"status": 401, "code": "token_not_valid", "detail": "Token is blacklisted"}


class PublicAuthView(NoStoreMixin, APIView):
    """Sign-up and sign-in: open to anyone, and a stale bearer token must not get in the way."""

    authentication_classes = []
    permission_classes = [AllowAny]

    def get_authenticate_header(self, request):
        return BEARER_CHALLENGE  # keeps 401 a 401: DRF turns it into 403 without a challenge


class RegisterView(PublicAuthView):
    """Sign-up: a new shopper account, signed in at once."""

    @extend_schema(
        summary="Create a shopper account and sign in",
        description="A taken email (whatever its case) or a weak password is a 400 naming the field.",
        request=UserRegisterSerializer,
        responses={201: AuthSerializer},
        examples=[
            OpenApiExample(
                "sign-up",
                {"name": "Grace Hopper", "email": "grace@luxyhome.example", "password": "walnut-credenza-1906"},
                request_only=True,
            )
        ],
    )
    def post(self, request):
        rate_limit(request, group="register", key=client_ip(request), rate=settings.REGISTER_RATE)
        user = user_register(**UserRegisterSerializer.validate_data(request.data))
        return Response({"user": UserSerializer(user).data, **tokens_for(user)}, status=status.HTTP_201_CREATED)


class LoginView(PublicAuthView):
    """Sign-in: a new pair of tokens for the account."""

    @extend_schema(
        summary="Sign in with email and password",
        request=UserLoginSerializer,
        responses={
            200: AuthSerializer,
            **problems(
                {401: "The email or the password is not correct (`invalid_credentials`)."},
                {"status": 401, "code": "invalid_credentials", "detail": "The email or the password is not correct."},
            ),
        },
        examples=[
            OpenApiExample(
                "sign-in", {"email": "ada@luxyhome.example", "password": "velvet-chaise-1894"}, request_only=True
            )
        ],
    )
    def post(self, request):
        user = user_authenticate(request=request, **UserLoginSerializer.validate_data(request.data))
        return Response({"user": UserSerializer(user).data, **tokens_for(user)})


@extend_schema_view(
    post=extend_schema(
        summary="Trade a refresh token for a new pair",
        description="The refresh token sent is dead afterwards: use the new one next time.",
        responses={
            200: TokenRefreshSerializer,
            **problems(
                {401: "The refresh token is invalid, expired or already used (`token_not_valid`)."}, TOKEN_NOT_VALID
            ),
        },
        examples=[OpenApiExample("refresh", {"refresh": "<the refresh token>"}, request_only=True)],
    )
)
class RefreshView(NoStoreMixin, TokenRefreshView):
    """simplejwt's refresh: a new pair, and the presented refresh token is blacklisted."""


class LogoutView(NoStoreMixin, APIView):
    """Sign-out: ends the session at once, on every server."""

    permission_classes = [IsAuthenticated]

    @extend_schema(
        summary="Sign out",
        description="The refresh token sent and the access token presenting it are both dead at once.",
        request=LogoutSerializer,
        responses={
            204: None,
            **problems(
                {
                    401: "No valid access token, or the refresh token is invalid, expired, already used or "
                    "another user's (`not_authenticated`, `token_not_valid`)."
                },
                TOKEN_NOT_VALID,
            ),
        },
        examples=[OpenApiExample("sign-out", {"refresh": "<the refresh token>"}, request_only=True)],
    )
    def post(self, request):
        data = LogoutSerializer.validate_data(request.data)
        try:
            user_logout(refresh=data["refresh"], access=request.auth)
        except TokenError as error:
            raise InvalidToken(error.args[0]) from None
        return Response(status=status.HTTP_204_NO_CONTENT)


class MeView(NoStoreMixin, APIView):
    """The signed-in user's account."""

    permission_classes = [IsAuthenticated]

    @extend_schema(summary="Who is signed in", responses=UserSerializer)
    def get(self, request):
        return Response(UserSerializer(request.user).data)

    @extend_schema(
        summary="Change the signed-in user's name",
        request=UserUpdateSerializer,
        responses=UserSerializer,
        examples=[OpenApiExample("rename", {"name": "Ada King"}, request_only=True)],
    )
    def patch(self, request):
        changes = UserUpdateSerializer.validate_data(request.data, partial=True)
        return Response(UserSerializer(user_update(user=request.user, **changes)).data)
