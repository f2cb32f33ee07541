from django.conf import settings
from drf_spectacular.utils import OpenApiExample, extend_schema
from rest_framework import status
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView
from rest_framework_simplejwt.exceptions import InvalidToken, TokenError

from accounts.serializers import (
    AuthSerializer,
    DetailSerializer,
    EmailVerifySerializer,
    LogoutSerializer,
    PasswordChangeSerializer,
    PasswordResetConfirmSerializer,
    PasswordResetSerializer,
    RefreshSerializer,
    TokenPairSerializer,
    UserLoginSerializer,
    UserRegisterSerializer,
    UserSerializer,
    UserUpdateSerializer,
)
from accounts.services import (
    tokens_for,
    tokens_refresh,
    user_authenticate,
    user_email_verify,
    user_logout,
    user_password_change,
    user_password_reset,
    user_password_reset_request,
    user_register,
    user_update,
    user_verification_email_send,
)
from luxyhome.api.exceptions import BEARER_CHALLENGE
from luxyhome.api.ratelimit import client_ip, rate_limit
from luxyhome.api.schema import problems
from luxyhome.api.views import NoStoreMixin

TOKEN_NOT_VALID = {"status": 401, "code": "token_not_valid", "detail": "Token is blacklisted"}


class PublicAuthView(NoStoreMixin, APIView):
    """Sign-up, sign-in, refresh and the links of account e-mails: open to anyone, and a stale bearer
    token must not get in the way."""

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


class RefreshView(PublicAuthView):
    """Token refresh: a new pair of the same session; the refresh token sent is dead from then on."""

    @extend_schema(
        summary="Trade a refresh token for a new pair",
        description=(
            "The refresh token sent is dead afterwards: use the new one next time. Sent again after that "
            "(or after logout), it ends every session of the account at once: a copied refresh token is "
            "found out at its second use. A token from before a password change or reset is refused."
        ),
        request=RefreshSerializer,
        responses={
            200: TokenPairSerializer,
            **problems(
                {
                    401: "The refresh token is invalid, expired, already used, of an ended session or of an "
                    "inactive account (`token_not_valid`)."
                },
                TOKEN_NOT_VALID,
            ),
        },
        examples=[OpenApiExample("refresh", {"refresh": "<the refresh token>"}, request_only=True)],
    )
    def post(self, request):
        data = RefreshSerializer.validate_data(request.data)
        try:
            return Response(tokens_refresh(refresh=data["refresh"]))
        except TokenError as error:
            raise InvalidToken(error.args[0]) from None


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


RESET_ACCEPTED = "If an account uses this address, a link to reset its password is on its way."
RESEND_ACCEPTED = "Unless the address is verified already, a new link to verify it is on its way."
INVALID_TOKEN = {"status": 400, "code": "invalid_token", "detail": "The link is invalid or has expired."}
WEAK_PASSWORD = {
    "status": 400,
    "code": "validation_error",
    "detail": "Some fields are invalid.",
    "errors": {"password": ["This password is too common."]},
}
WRONG_PASSWORD = {
    "status": 400,
    "code": "validation_error",
    "detail": "Some fields are invalid.",
    "errors": {"current_password": ["The current password is not correct."]},
}


class PasswordResetView(PublicAuthView):
    """Forgotten password: a link to choose a new one, by e-mail."""

    @extend_schema(
        summary="E-mail a link to reset a forgotten password",
        description=(
            "The same 202 whether or not an account uses the address. The link, "
            "`{FRONTEND_URL}/reset-password?uid=<uid>&token=<token>`, works once, within an hour. "
            "Limited per client address and per email (429)."
        ),
        request=PasswordResetSerializer,
        responses={202: DetailSerializer},
        examples=[
            OpenApiExample("forgotten password", {"email": "ada@luxyhome.example"}, request_only=True),
            OpenApiExample("accepted", {"detail": RESET_ACCEPTED}, response_only=True, status_codes=["202"]),
        ],
    )
    def post(self, request):
        user_password_reset_request(request=request, **PasswordResetSerializer.validate_data(request.data))
        return Response({"detail": RESET_ACCEPTED}, status=status.HTTP_202_ACCEPTED)


class PasswordResetConfirmView(PublicAuthView):
    """A new password through the link of a reset e-mail."""

    @extend_schema(
        summary="Choose a new password through a reset link",
        description=(
            "`uid` and `token` are the link's. Every session of the account ends: its access and refresh "
            "tokens answer 401 from then on."
        ),
        request=PasswordResetConfirmSerializer,
        responses={
            204: None,
            **problems(
                {
                    400: "The link is unknown, used or expired (`invalid_token`), or the password is too weak "
                    "(`validation_error`, naming `password`)."
                },
                INVALID_TOKEN,
                WEAK_PASSWORD,
            ),
        },
        examples=[
            OpenApiExample(
                "new password",
                {"uid": "MQ", "token": "cz7d2k-4f1e0c9b8a7d6e5f4a3b2c1d0e9f8a7b", "password": "linen-ottoman-1921"},
                request_only=True,
            )
        ],
    )
    def post(self, request):
        user_password_reset(**PasswordResetConfirmSerializer.validate_data(request.data))
        return Response(status=status.HTTP_204_NO_CONTENT)


class PasswordChangeView(NoStoreMixin, APIView):
    """The signed-in user's password change."""

    permission_classes = [IsAuthenticated]

    @extend_schema(
        summary="Change the password",
        description=(
            "Every session of the account ends, on every device: their access and refresh tokens answer "
            "401 from then on. The answer is a new pair for this device. A new password that is too weak "
            "is a 400 naming `new_password`; after 5 wrong current passwords in 15 minutes, 429."
        ),
        request=PasswordChangeSerializer,
        responses={
            200: TokenPairSerializer,
            **problems(
                {400: "The current password is wrong, or the new one too weak (`validation_error`)."},
                WRONG_PASSWORD,
            ),
        },
        examples=[
            OpenApiExample(
                "change",
                {"current_password": "velvet-chaise-1894", "new_password": "linen-ottoman-1921"},
                request_only=True,
            )
        ],
    )
    def post(self, request):
        user = user_password_change(
            request=request, user=request.user, **PasswordChangeSerializer.validate_data(request.data)
        )
        return Response(tokens_for(user))


class EmailVerifyView(PublicAuthView):
    """E-mail verification: the link from the sign-up (or a resent) e-mail."""

    @extend_schema(
        summary="Verify the e-mail address through its link",
        description="`token` is the link's. Verified already: 204 again.",
        request=EmailVerifySerializer,
        responses={
            204: None,
            **problems({400: "The link is invalid, expired or for another address (`invalid_token`)."}, INVALID_TOKEN),
        },
        examples=[OpenApiExample("verify", {"token": "<the token from the link>"}, request_only=True)],
    )
    def post(self, request):
        user_email_verify(**EmailVerifySerializer.validate_data(request.data))
        return Response(status=status.HTTP_204_NO_CONTENT)


class VerificationResendView(NoStoreMixin, APIView):
    """A new verification link for the signed-in user's address."""

    permission_classes = [IsAuthenticated]

    @extend_schema(
        summary="E-mail a new verification link",
        description=(
            "The link is `{FRONTEND_URL}/verify-email?token=<token>`; none is sent for an address verified "
            "already. Limited per client address and per email (429)."
        ),
        request=None,
        responses={202: DetailSerializer},
        examples=[OpenApiExample("accepted", {"detail": RESEND_ACCEPTED}, response_only=True, status_codes=["202"])],
    )
    def post(self, request):
        user_verification_email_send(request=request, user=request.user)
        return Response({"detail": RESEND_ACCEPTED}, status=status.HTTP_202_ACCEPTED)
