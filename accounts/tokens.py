"""Session tokens: simplejwt's access and refresh tokens, each carrying its user's token_version.

A token whose version is not its user's current one belongs to sessions that have ended (a password
change or reset, a refresh token replayed): JWTAuthentication refuses it as a bearer token and
tokens_refresh refuses to trade it. The version is a column of the user row, so the database decides,
on every server, with or without the cache.
"""

from rest_framework_simplejwt.exceptions import TokenError
from rest_framework_simplejwt.settings import api_settings
from rest_framework_simplejwt.token_blacklist.models import OutstandingToken
from rest_framework_simplejwt.tokens import RefreshToken
from rest_framework_simplejwt.utils import datetime_from_epoch

from accounts.models import User

TOKEN_VERSION_CLAIM = "token_version"
SESSION_ENDED = "Token belongs to a session that has ended."


def token_version_is_current(token, user: User) -> bool:
    # tokens issued before versions existed carry none: version 0, every account's first
    return token.get(TOKEN_VERSION_CLAIM, 0) == user.token_version


def refresh_token_for(user: User) -> RefreshToken:
    """A new refresh token for `user`, at its current token_version; the access tokens made from it
    (and from its rotations) copy the claim."""
    token = RefreshToken()
    token[api_settings.USER_ID_CLAIM] = str(getattr(user, api_settings.USER_ID_FIELD))
    token[TOKEN_VERSION_CLAIM] = user.token_version
    refresh_token_list(token, user=user)
    return token


def refresh_token_list(token: RefreshToken, *, user: User) -> None:
    """Record a new refresh token as outstanding, as simplejwt's for_user does (its blacklist entry
    will point at the row), with the user at hand rather than read again."""
    OutstandingToken.objects.create(
        user=user,
        jti=token[api_settings.JTI_CLAIM],
        token=str(token),
        created_at=token.current_time,
        expires_at=datetime_from_epoch(token["exp"]),
    )


class PresentedRefreshToken(RefreshToken):
    """A refresh token sent to be traded: its signature, expiry and type are checked here; whether it
    is blacklisted is left to tokens_refresh, which finds out by blacklisting it (one query, and
    the blacklist's unique entry per token decides between two trades at once)."""

    def check_blacklist(self) -> None:
        pass


class RefreshTokenReused(TokenError):
    """A refresh token was presented again after it was traded or logged out."""

    def __init__(self, user: User):
        super().__init__("Token is blacklisted")
        self.user = user
