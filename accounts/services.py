"""Account operations: sign-up, sign-in, sessions and their end, passwords, e-mail verification,
and forgetting expired tokens."""

from django.conf import settings
from django.contrib.auth import authenticate
from django.contrib.auth.models import update_last_login
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from rest_framework_simplejwt.exceptions import TokenError
from rest_framework_simplejwt.settings import api_settings as jwt_settings
from rest_framework_simplejwt.token_blacklist.models import BlacklistedToken, OutstandingToken
from rest_framework_simplejwt.tokens import AccessToken, RefreshToken

from accounts import tasks
from accounts.authentication import user_cache_drop
from accounts.denylist import access_token_deny, access_token_issued, denied_tokens_purge
from accounts.emails import password_reset_email_queue, verification_email_queue
from accounts.exceptions import InvalidCredentials, InvalidLinkToken, WrongPassword
from accounts.links import email_verification_user, password_reset_user
from accounts.models import EMAIL_TAKEN, User, email_normalize
from accounts.tokens import (
    SESSION_ENDED,
    TOKEN_VERSION_CLAIM,
    PresentedRefreshToken,
    RefreshTokenReused,
    refresh_token_for,
    refresh_token_list,
    token_version_is_current,
)
from luxyhome.api.ratelimit import client_ip, rate_limit
from luxyhome.celery import send_on_commit
from luxyhome.metrics import LOGINS_FAILED
from luxyhome.realtime import sessions_ended_send


def user_register(*, name: str, email: str, password: str) -> User:
    """Create a shopper account and e-mail its address a verification link.

    Raises ValidationError when the email is taken, in any case.
    """
    try:
        with transaction.atomic():
            user = User.objects.create_user(email=email, password=password, name=name)
            verification_email_queue(user=user)
            return user
    except IntegrityError:  # the case-insensitive unique index decides, also between racing sign-ups
        raise ValidationError({"email": [EMAIL_TAKEN]}) from None


def user_authenticate(*, request, email: str, password: str) -> User:
    """Check the credentials (same answer and work for an unknown email) and record the sign-in: the
    API's login and the admin's alike, under the same limits. Every attempt counts against the
    client (LOGIN_RATE); a failed one against the email from that client (LOGIN_FAILURE_RATE), so a
    guesser is stopped while the owner elsewhere still signs in, and against the email from
    anywhere, with a far higher ceiling (LOGIN_FAILURE_EMAIL_RATE) for guessers spread over many.

    Raises InvalidCredentials, Throttled (429).
    """
    client = client_ip(request)
    rate_limit(request, group="login", key=client, rate=settings.LOGIN_RATE)
    email_key = _email_key(email)
    failure_limits = [
        {"group": "login-failure", "key": f"{email_key} {client}", "rate": settings.LOGIN_FAILURE_RATE},
        {"group": "login-failure-email", "key": email_key, "rate": settings.LOGIN_FAILURE_EMAIL_RATE},
    ]
    for limit in failure_limits:
        rate_limit(request, increment=False, **limit)
    user = authenticate(request, email=email, password=password)
    if user is None:
        LOGINS_FAILED.inc()
        for limit in failure_limits:
            rate_limit(request, **limit)
        raise InvalidCredentials()
    update_last_login(None, user)
    return user


def user_update(*, user: User, **changes) -> User:
    """Change the given fields of a user's account (what UserUpdateSerializer lets them change), in
    one UPDATE of those columns only."""
    for field, value in changes.items():
        setattr(user, field, value)
    user.save(update_fields=list(changes))
    return user


def tokens_for(user: User) -> dict[str, str]:
    """A new session: a refresh token at the user's token_version, and an access token made from it."""
    refresh = refresh_token_for(user)
    access = refresh.access_token
    access_token_issued(access)
    return {"access": str(access), "refresh": str(refresh)}


def tokens_refresh(*, refresh: str) -> dict[str, str]:
    """Trade a refresh token for a new pair of the same session; the one traded is dead from then on.

    A refresh token presented again after it was traded (or logged out) has been copied: that second
    use, a thief's or the owner's, ends every session of the account (user_sessions_end), so whoever
    holds the other copy is signed out at once. Presenting it yet again ends nothing more.

    Raises TokenError: invalid or expired, presented again, of an ended session or an inactive account.
    """
    token = PresentedRefreshToken(refresh)
    try:
        return _refresh_token_trade(token)
    except RefreshTokenReused as reused:
        # after the trade's transaction: the sessions end although the request fails
        user_sessions_end(user=reused.user, token_version=token.get(TOKEN_VERSION_CLAIM, 0))
        raise


@transaction.atomic
def _refresh_token_trade(token: PresentedRefreshToken) -> dict[str, str]:
    listed = OutstandingToken.objects.select_related("user").filter(jti=token[jwt_settings.JTI_CLAIM]).first()
    user = listed.user if listed is not None else None
    if user is None:
        raise TokenError("Token is invalid or expired")
    try:
        # blacklisting first, as the claim: the unique entry per token lets one trade of it through,
        # even of two at once, and finds every later one out
        with transaction.atomic():
            BlacklistedToken.objects.create(token=listed)
    except IntegrityError:
        raise RefreshTokenReused(user) from None
    if not user.is_active:
        raise TokenError("No active account found for the given token.")
    if not token_version_is_current(token, user):
        raise TokenError(SESSION_ENDED)  # the claim is rolled back: the token stays as it was
    token.set_jti()  # the same claims (user, token_version), a new identity and lifetime
    token.set_exp()
    token.set_iat()
    refresh_token_list(token, user=user)
    access = token.access_token
    access_token_issued(access)
    return {"access": str(access), "refresh": str(token)}


def user_sessions_end(*, user: User, token_version: int) -> bool:
    """End every session of `user` still at `token_version`, at once and on every server: each access
    and refresh token issued to it answers 401 from then on (the version is in the database, and the
    cached user is dropped). False when they had ended already: nothing ends twice.
    """
    ended = User.objects.filter(pk=user.pk, token_version=token_version).update(token_version=F("token_version") + 1)
    user_cache_drop(user.pk)  # update() sends no post_save
    if ended:
        sessions_ended_send(user_id=user.pk)
    return ended == 1


@transaction.atomic
def user_logout(*, refresh: str, access: AccessToken) -> None:
    """End a session at once: blacklist the refresh token and deny the access token presented with it.

    Raises TokenError when the refresh token is invalid, expired, already dead or another user's.
    """
    token = RefreshToken(refresh)
    claim = jwt_settings.USER_ID_CLAIM
    if str(token[claim]) != str(access[claim]):
        raise TokenError("Token is invalid or expired")
    token.blacklist()
    access_token_deny(access)


@transaction.atomic
def user_password_change(*, request, user: User, current_password: str, new_password: str) -> User:
    """Change the password of a signed-in user who knows the current one. Every session of the
    account ends (_password_set); returns the user, for this device's new session. Wrong current
    passwords count per account (LOGIN_FAILURE_RATE): a stolen access token buys no unlimited
    guesses at the password behind it.

    Raises WrongPassword (a ValidationError of current_password), ValidationError (a weak
    new_password), Throttled (429).
    """
    guesses = {"group": "password-change-failure", "key": str(user.pk), "rate": settings.LOGIN_FAILURE_RATE}
    rate_limit(request, increment=False, **guesses)
    user = User.objects.select_for_update().get(pk=user.pk)
    if not user.check_password(current_password):
        rate_limit(request, **guesses)
        raise WrongPassword()
    _password_set(user, new_password, field="new_password")
    return user


def user_password_reset_request(*, request, email: str) -> None:
    """Ask for a password reset link for `email`, with the same work whether or not an account uses
    it: a task, sent on commit, looks the account up and e-mails it the link (password_reset_email_send).
    A broker that cannot be reached loses the request (logged); the owner asks again. Counted per
    client (PASSWORD_RESET_RATE) and per email (PASSWORD_RESET_EMAIL_RATE).

    Raises Throttled (429).
    """
    _client_and_email_limit(
        request,
        group="password-reset",
        email=email,
        client_rate=settings.PASSWORD_RESET_RATE,
        email_rate=settings.PASSWORD_RESET_EMAIL_RATE,
    )
    send_on_commit(tasks.password_reset_email_send, email)


@transaction.atomic
def password_reset_email_send(*, email: str) -> bool:
    """E-mail a reset link to the active account that uses `email`, if there is one; whether there was."""
    user = User.objects.with_email(email).filter(is_active=True).first()
    if user is None:
        return False
    password_reset_email_queue(user=user)
    return True


@transaction.atomic
def user_password_reset(*, uid: str, token: str, password: str) -> User:
    """Set a new password through the link of a reset e-mail. A link works once (its token covers the
    password hash and the last sign-in) and for PASSWORD_RESET_TIMEOUT seconds. Every session of the
    account ends, as on a change.

    Raises InvalidLinkToken (an unknown, used or expired link), ValidationError (a weak password).
    """
    user = password_reset_user(uid=uid, token=token)
    if user is None:
        raise InvalidLinkToken()
    _password_set(user, password, field="password")
    return user


def _password_set(user: User, password: str, *, field: str) -> None:
    """Validate and set the password of a locked user row, ending every session issued before: its
    token_version goes up in the same UPDATE, and post_save drops the cached user."""
    try:
        validate_password(password, user=user)
    except ValidationError as error:
        raise ValidationError({field: error.messages}) from None
    user.set_password(password)
    user.token_version += 1
    user.save(update_fields=["password", "token_version"])
    sessions_ended_send(user_id=user.pk)


def user_email_verify(*, token: str) -> User:
    """Mark an address verified through the link e-mailed to it, which works for the address it was
    sent to and for EMAIL_VERIFICATION_MAX_AGE seconds. Verified already: nothing changes.

    Raises InvalidLinkToken.
    """
    user = email_verification_user(token)
    if user is None:
        raise InvalidLinkToken()
    if not user.email_verified:
        user.email_verified = True
        user.save(update_fields=["email_verified"])
    return user


@transaction.atomic
def user_verification_email_send(*, request, user: User) -> bool:
    """E-mail the user's address a new verification link, unless it is verified; whether one went.
    Counted per client (VERIFICATION_RESEND_RATE) and per email (VERIFICATION_RESEND_EMAIL_RATE).

    Raises Throttled (429).
    """
    _client_and_email_limit(
        request,
        group="verification",
        email=user.email,
        client_rate=settings.VERIFICATION_RESEND_RATE,
        email_rate=settings.VERIFICATION_RESEND_EMAIL_RATE,
    )
    if user.email_verified:
        return False
    verification_email_queue(user=user)
    return True


def expired_tokens_purge() -> int:
    """Forget expired refresh tokens (with their blacklist entries) and expired entries of the
    access-token denylist; returns how many rows went."""
    refresh_tokens, _ = OutstandingToken.objects.filter(expires_at__lte=timezone.now()).delete()
    return refresh_tokens + denied_tokens_purge()


def _client_and_email_limit(request, *, group: str, email: str, client_rate: str, email_rate: str) -> None:
    """Count a request against its client and against the email it names, each with its rate."""
    rate_limit(request, group=group, key=client_ip(request), rate=client_rate)
    rate_limit(request, group=f"{group}-email", key=_email_key(email), rate=email_rate)


def _email_key(email: str) -> str:
    """What limits count an address under: its one form, lower-cased."""
    return email_normalize(email).lower()
