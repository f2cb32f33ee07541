"""Bearer authentication: one cache round trip for a signed-in request, the database only on a miss."""

import copy
from collections import OrderedDict

from django.core.cache import cache
from django.db import transaction
from rest_framework_simplejwt import authentication
from rest_framework_simplejwt.exceptions import InvalidToken, TokenError
from rest_framework_simplejwt.settings import api_settings
from rest_framework_simplejwt.tokens import Token
from rest_framework_simplejwt.utils import aware_utcnow

from accounts.denylist import access_token_is_denied, denylist_key
from luxyhome.cache import get_many

# How long a user row is served from the cache. Every save or delete of a user drops it at once
# (signals below); this bounds what a write that bypasses them (a queryset update) takes to show.
USER_CACHE_SECONDS = 60
# Access tokens each process has verified, by their bytes: the signature and claims of the same
# bytes check out the same every time (40 µs), so a token seen again has only its expiry checked
# (2 µs). Past this many, the least recently used are forgotten: `popitem` is one step, safe
# with threaded workers (GUNICORN_THREADS), where a dict iterated to find its oldest is not.
VERIFIED_TOKENS_KEPT = 1024
_verified_tokens: OrderedDict[bytes, Token] = OrderedDict()


class JWTAuthentication(authentication.JWTAuthentication):
    """simplejwt's bearer authentication, refusing logged-out access tokens. The token's denylist
    entry and its user are read from the cache together."""

    def authenticate(self, request):
        header = self.get_header(request)
        raw_token = None if header is None else self.get_raw_token(header)
        if raw_token is None:
            return None
        token = self.get_validated_token(raw_token)
        denied_key, user_key = denylist_key(token), user_cache_key(token.get(api_settings.USER_ID_CLAIM))
        found = get_many([denied_key, user_key])
        if access_token_is_denied(token, cached=found.get(denied_key)):
            raise InvalidToken("Token has been logged out.")
        user = found.get(user_key)
        if user is None:
            user = self.get_user(token)  # simplejwt's checks: the user exists and is active
            cache.set(user_key, without_password(user), timeout=USER_CACHE_SECONDS)
        return user, token

    def get_validated_token(self, raw_token):
        token = _verified_tokens.pop(raw_token, None)
        if token is None or _expired(token):
            token = super().get_validated_token(raw_token)  # an expired one is refused here, as ever
        _verified_tokens[raw_token] = token  # last in line: the least recently used go first
        if len(_verified_tokens) > VERIFIED_TOKENS_KEPT:
            _verified_tokens.popitem(last=False)
        return token


def _expired(token: Token) -> bool:
    try:
        token.check_exp(current_time=aware_utcnow())
    except TokenError:
        return True
    return False


def user_cache_key(user_id) -> str:
    return f"auth-user:{user_id}"


def without_password(user):
    """A copy whose password hash stays out of the cache: the field is deferred, loaded if read."""
    user = copy.copy(user)
    del user.__dict__["password"]
    return user


def user_changed(sender, instance, **kwargs) -> None:
    """A user was saved or deleted: drop the cached row now, and again when the transaction commits
    (a request may have cached the row as it was before the commit)."""

    def drop():
        cache.delete(user_cache_key(instance.pk))

    drop()
    transaction.on_commit(drop)
