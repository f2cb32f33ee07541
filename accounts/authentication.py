from rest_framework_simplejwt import authentication
from rest_framework_simplejwt.exceptions import InvalidToken

from accounts.denylist import access_token_is_denied


class JWTAuthentication(authentication.JWTAuthentication):
    """simplejwt's bearer authentication, refusing access tokens that were logged out."""

    def get_validated_token(self, raw_token):
        token = super().get_validated_token(raw_token)
        if access_token_is_denied(token):
            raise InvalidToken("Token has been logged out.")
        return token
