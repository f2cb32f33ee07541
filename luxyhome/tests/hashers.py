from django.contrib.auth.hashers import BCryptSHA256PasswordHasher


class FastBCryptSHA256PasswordHasher(BCryptSHA256PasswordHasher):
    """The production hasher at bcrypt's lowest cost, for tests only."""

    rounds = 4
