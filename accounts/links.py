"""The links e-mailed to account owners, and the tokens in them.

A password reset link is `{FRONTEND_URL}/reset-password?uid=<uid>&token=<token>`: Django's
PasswordResetTokenGenerator, whose token covers the password hash and the last sign-in (so it works
once) and its own time (PASSWORD_RESET_TIMEOUT). An e-mail verification link is
`{FRONTEND_URL}/verify-email?token=<token>`: the user id and a keyed digest of the address, signed
with its time (EMAIL_VERIFICATION_MAX_AGE), so it verifies the address it was sent to and no other.
"""

from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.core import signing
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_decode, urlsafe_base64_encode

from accounts.models import User

VERIFICATION_SALT = "accounts.email-verification"
MAX_ID = 2**63 - 1  # a bigint: a larger id in a link would make the database raise, not miss


def password_reset_link(user: User) -> str:
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    return _frontend("reset-password", uid=uid, token=default_token_generator.make_token(user))


def password_reset_user(*, uid: str, token: str) -> User | None:
    """The active user a reset link's uid and token name, locked for the change; None if the link is
    unknown, used or expired."""
    user_id = _user_id(uid)
    if user_id is None:
        return None
    user = User.objects.select_for_update().filter(pk=user_id, is_active=True).first()
    if user is None or not default_token_generator.check_token(user, token):
        return None
    return user


def email_verification_link(user: User) -> str:
    value = f"{user.pk}:{_address_digest(user.email)}"
    return _frontend("verify-email", token=signing.TimestampSigner(salt=VERIFICATION_SALT).sign(value))


def email_verification_user(token: str) -> User | None:
    """The user whose address a verification token was made for, if it still is their address and
    the token is younger than EMAIL_VERIFICATION_MAX_AGE; else None."""
    signer = signing.TimestampSigner(salt=VERIFICATION_SALT)
    try:
        value = signer.unsign(token, max_age=settings.EMAIL_VERIFICATION_MAX_AGE)
    except signing.BadSignature:  # SignatureExpired too
        return None
    user_id, _, digest = value.partition(":")
    user = User.objects.filter(pk=int(user_id)).first()  # signed by us: a well-formed id
    if user is None or not constant_time_compare(digest, _address_digest(user.email)):
        return None
    return user


def _address_digest(email: str) -> str:
    # keyed: a link seen in a log does not let anyone confirm a guess of the address
    return salted_hmac(VERIFICATION_SALT, email.lower(), algorithm="sha256").hexdigest()[:24]


def _user_id(uid: str) -> int | None:
    try:
        decoded = urlsafe_base64_decode(uid).decode()
    except (ValueError, UnicodeDecodeError):
        return None
    if not decoded.isascii() or not decoded.isdigit() or int(decoded) > MAX_ID:
        return None
    return int(decoded)


def _frontend(page: str, **query: str) -> str:
    return f"{settings.FRONTEND_URL}/{page}?{urlencode(query)}"
