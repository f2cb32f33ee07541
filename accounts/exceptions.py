from django.core.exceptions import ValidationError

from luxyhome.api.exceptions import BEARER_CHALLENGE, DomainError


class InvalidCredentials(DomainError):
    code, status = "invalid_credentials", 401
    headers = {"WWW-Authenticate": BEARER_CHALLENGE}

    def __init__(self):
        super().__init__("The email or the password is not correct.")


class InvalidLinkToken(DomainError):
    """A password reset or e-mail verification link that is unknown, already used or expired."""

    code, status = "invalid_token", 400

    def __init__(self):
        super().__init__("The link is invalid or has expired.")


class WrongPassword(ValidationError):
    """The current password given to change it is not the account's: a 400 naming the field."""

    def __init__(self):
        super().__init__({"current_password": ["The current password is not correct."]})
