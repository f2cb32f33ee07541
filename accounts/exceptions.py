from luxyhome.api.exceptions import BEARER_CHALLENGE, DomainError


class InvalidCredentials(DomainError):
    code, status = "invalid_credentials", 401
    headers = {"WWW-Authenticate": BEARER_CHALLENGE}

    def __init__(self):
        super().__init__("The email or the password is not correct.")
