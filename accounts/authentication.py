"""Bearer authentication: one cache round trip for a signed-in request, the database only on a miss.

The cached user carries its token_version and is dropped on every change of the row, so an access
token from before a password change is refused at once, whether its user came from the cache or,
with the cache down, from the database.
"""

import copy

from django.core.cache import cache
from django.db import transaction
from rest_framework_simplejwt import authentication
from rest_framework_simplejwt.exceptions import InvalidToken
from rest_framework_simplejwt.settings import api_settings

from accounts.denylist import access_token_is_denied, denylist_key
from accounts.tokens import SESSION_ENDED, token_version_is_current

# How long a user row is served from the cache. Every save or delete of a user drops it at once
# (signals below); this bounds what a write that bypasses them (a queryset update) takes to show.
USER_CACHE_SECONDS = 60


class JWTAuthentication(authentication.JWTAuthentication):
    """simplejwt's bearer authentication, refusing logged-out access tokens and those of ended
    sessions (token_version). The token's denylist entry and its user are read from the cache together."""

    def authenticate(self, request):
        header = self.get_header(request)
        raw_token = None if header is None else self.get_raw_token(header)
        if raw_token is None:
            return None
        return self.authenticate_token(raw_token)

    def authenticate_token(self, raw_token: bytes | str) -> tuple:
        """The user and validated token of a raw access token, from a header or a socket's handshake.
        Raises InvalidToken or AuthenticationFailed."""
        token = self.get_validated_token(raw_token)
        denied_key, user_key = denylist_key(token), user_cache_key(token.get(api_settings.USER_ID_CLAIM))
        found = cache.get_many([denied_key, user_key])
        if access_token_is_denied(token, cached=found.get(denied_key)):
            raise InvalidToken("Token has been logged out.")
        user = found.get(user_key)
        if user is None:
            user = self.get_user(token)  # simplejwt's checks: the user exists and is active
            cache.set(user_key, without_password(user), timeout=USER_CACHE_SECONDS)
        if not token_version_is_current(token, user):
            raise InvalidToken(SESSION_ENDED)
        return user, token


def user_cache_key(user_id) -> str:
    return f"auth-user:{user_id}"


def without_password(user):
    """A copy whose password hash stays out of the cache: the field is deferred, loaded if read."""
    user = copy.copy(user)
    del user.__dict__["password"]
    return user


def user_changed(sender, instance, **kwargs) -> None:
    """A user was saved or deleted (post_save, post_delete): drop the cached row."""
    user_cache_drop(instance.pk)


def user_cache_drop(user_id) -> None:
    """Drop the cached user now, and again when the transaction commits (a request may have cached
    the row as it was before the commit). Writes that send no signal (a queryset update) call it."""

    def drop():
        cache.delete(user_cache_key(user_id))

    drop()
    transaction.on_commit(drop)
