"""Links made as an e-mail is rendered, so that the outbox row (which staff can read) holds none."""

from django import template

from accounts.links import password_reset_link
from accounts.models import User

register = template.Library()


@register.simple_tag
def password_reset_url(user_id: int, email: str) -> str:
    """The account's password reset link, its token made now; "" if the account is gone or inactive,
    or its address is no longer the one the e-mail goes to."""
    user = User.objects.filter(pk=user_id, is_active=True).first()
    if user is None or user.email.lower() != email.lower():
        return ""
    return password_reset_link(user)
