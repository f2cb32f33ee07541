from drf_spectacular.contrib.rest_framework_simplejwt import SimpleJWTScheme


class JWTAuthenticationScheme(SimpleJWTScheme):
    """Documents our denylist-aware JWTAuthentication as the bearer scheme it is."""

    target_class = "accounts.authentication.JWTAuthentication"
