"""Account e-mails, HTML with a plain-text part, kept in the outbox with the change that calls for them."""

from django.conf import settings

from accounts.links import email_verification_link
from accounts.models import User
from outbox.services import email_queue

SITE_NAME = "Luxyhome"


def verification_email_queue(*, user: User) -> None:
    """E-mail the address a link that verifies it (templates emails/email_verification.txt and .html)."""
    _queue(
        user,
        subject="Confirm your e-mail address for Luxyhome",
        template="email_verification",
        link=email_verification_link(user),
        valid_hours=max(1, settings.EMAIL_VERIFICATION_MAX_AGE // 3600),
    )


def password_reset_email_queue(*, user: User) -> None:
    """E-mail the account a password reset link (templates emails/password_reset.txt and .html). The
    link is made when the e-mail is rendered (templatetags/account_links.py): no stored row holds it."""
    _queue(
        user,
        subject="Reset your Luxyhome password",
        template="password_reset",
        user_id=user.pk,
        email=user.email,
        valid_minutes=max(1, settings.PASSWORD_RESET_TIMEOUT // 60),
    )


def _queue(user: User, *, subject: str, template: str, **context) -> None:
    email_queue(
        to=user.email,
        subject=subject,
        template=f"emails/{template}",
        context={"name": user.name, "site_name": SITE_NAME, **context},
    )
