"""Account operations: sign-up, sign-in, sign-out, and forgetting expired tokens."""

from django.conf import settings
from django.contrib.auth import authenticate
from django.contrib.auth.models import update_last_login
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from rest_framework_simplejwt.exceptions import TokenError
from rest_framework_simplejwt.settings import api_settings as jwt_settings
from rest_framework_simplejwt.token_blacklist.models import OutstandingToken
from rest_framework_simplejwt.tokens import AccessToken, RefreshToken

from accounts.denylist import access_token_deny, access_token_issued, denied_tokens_purge
from accounts.exceptions import InvalidCredentials
from accounts.models import EMAIL_TAKEN, User, email_normalize
from luxyhome.api.ratelimit import client_ip, rate_limit
from luxyhome.metrics import LOGINS_FAILED


def user_register(*, name: str, email: str, password: str) -> User:
    """Create a shopper account. Raises ValidationError when the email is taken, in any case."""
    try:
        with transaction.atomic():
            return User.objects.create_user(email=email, password=password, name=name)
    except IntegrityError:  # the case-insensitive unique index decides, also between racing sign-ups
        raise ValidationError({"email": [EMAIL_TAKEN]}) from None


def user_authenticate(*, request, email: str, password: str) -> User:
    """Check the credentials (same answer and work for an unknown email) and record the sign-in: the
    API's login and the admin's alike, under the same limits. Every attempt counts against the
    client (LOGIN_RATE); a failed one against the email from that client (LOGIN_FAILURE_RATE), so a
    guesser is stopped while the owner elsewhere still signs in, and against the email from
    anywhere, with a far higher ceiling (LOGIN_FAILURE_EMAIL_RATE) for guessers spread over many.

    Raises InvalidCredentials, Throttled (429).
    """
    client = client_ip(request)
    rate_limit(request, group="login", key=client, rate=settings.LOGIN_RATE)
    email_key = email_normalize(email).lower()
    failure_limits = [
        {"group": "login-failure", "key": f"{email_key} {client}", "rate": settings.LOGIN_FAILURE_RATE},
        {"group": "login-failure-email", "key": email_key, "rate": settings.LOGIN_FAILURE_EMAIL_RATE},
    ]
    for limit in failure_limits:
        rate_limit(request, increment=False, **limit)
    user = authenticate(request, email=email, password=password)
    if user is None:
        LOGINS_FAILED.inc()
        for limit in failure_limits:
            rate_limit(request, **limit)
        raise InvalidCredentials()
    update_last_login(None, user)
    return user


def user_update(*, user: User, **changes) -> User:
    """Change the given fields of a user's account (what UserUpdateSerializer lets them change), in
    one UPDATE of those columns only."""
    for field, value in changes.items():
        setattr(user, field, value)
    user.save(update_fields=list(changes))
    return user


def tokens_for(user: User) -> dict[str, str]:
    refresh = RefreshToken.for_user(user)
    access = refresh.access_token
    access_token_issued(access)
    return {"access": str(access), "refresh": str(refresh)}


@transaction.atomic
def user_logout(*, refresh: str, access: AccessToken) -> None:
    """End a session at once: blacklist the refresh token and deny the access token presented with it.

    Raises TokenError when the refresh token is invalid, expired, already dead or another user's.
    """
    token = RefreshToken(refresh)
    claim = jwt_settings.USER_ID_CLAIM
    if str(token[claim]) != str(access[claim]):
        raise TokenError("Token is invalid or expired")
    token.blacklist()
    access_token_deny(access)


def expired_tokens_purge() -> int:
    """Forget expired refresh tokens (with their blacklist entries) and expired entries of the
    access-token denylist; returns how many rows went."""
    refresh_tokens, _ = OutstandingToken.objects.filter(expires_at__lte=timezone.now()).delete()
    return refresh_tokens + denied_tokens_purge()
