from luxyhome.api.exceptions import DomainError


class InvalidCredentials(DomainError):
    code, status = "invalid_credentials", 401

    def __init__(self):
        super().__init__("The email or the password is not correct.")
