"""The access-token denylist: logged-out access tokens stay dead on every server until they expire.

The database is the truth; the cache mirrors it so most requests never ask the database.
"""

from datetime import UTC, datetime

from django.core.cache import cache
from django.utils import timezone
from rest_framework_simplejwt.tokens import AccessToken

from accounts.models import DeniedAccessToken

# How long a "not denied" answer may be served from the cache. It bounds how long a logout
# done while one server could not reach Redis takes to reach the others.
NOT_DENIED_CACHE_SECONDS = 60


def access_token_deny(token: AccessToken) -> None:
    """Put the token on the denylist: the database is the truth, the cache mirrors it until expiry."""
    expires_at = datetime.fromtimestamp(token["exp"], tz=UTC)
    DeniedAccessToken.objects.get_or_create(jti=token["jti"], defaults={"expires_at": expires_at})
    # at once, not on commit: a reader that cached "not denied" meanwhile must be overwritten now
    cache.set(denylist_key(token), True, timeout=_seconds_left(token))


def access_token_issued(token: AccessToken) -> None:
    """A new token cannot be on the denylist yet: say so in the cache, so its first uses ask no database."""
    cache.add(denylist_key(token), False, timeout=min(NOT_DENIED_CACHE_SECONDS, _seconds_left(token)))


def access_token_is_denied(token: AccessToken, cached: bool | None) -> bool:
    """Whether the token was logged out: `cached`, what the cache holds under denylist_key(token)
    (the caller reads it along with other keys); on a miss or a cache outage, the database."""
    if cached is not None:
        return cached
    denied = DeniedAccessToken.objects.filter(jti=token["jti"]).exists()
    # add(), not set(): a logout that lands meanwhile has already written True, and wins
    timeout = _seconds_left(token) if denied else min(NOT_DENIED_CACHE_SECONDS, _seconds_left(token))
    cache.add(denylist_key(token), denied, timeout=timeout)
    return denied


def denied_tokens_purge() -> int:
    """Forget denylisted tokens that have expired anyway; returns how many."""
    deleted, _ = DeniedAccessToken.objects.filter(expires_at__lt=timezone.now()).delete()
    return deleted


def denylist_key(token: AccessToken) -> str:
    return f"access-denied:{token['jti']}"


def _seconds_left(token: AccessToken) -> int:
    return max(1, int(token["exp"] - timezone.now().timestamp()))
