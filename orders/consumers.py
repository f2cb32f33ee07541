"""/ws/orders: a signed-in shopper hears of every change to their orders."""

from channels.db import database_sync_to_async
from rest_framework.exceptions import AuthenticationFailed

from accounts.authentication import JWTAuthentication
from luxyhome.realtime import user_group
from luxyhome.sockets import PushConsumer


class OrderConsumer(PushConsumer):
    forwards = frozenset({"order.updated"})

    async def subscription(self) -> str | None:
        """The shopper's group, for a valid access token that is not logged out; the socket closes
        when the token expires."""
        token = self.offered_token()
        if not token:
            return None
        try:
            self.user, access = await database_sync_to_async(JWTAuthentication().authenticate_token)(token)
        except AuthenticationFailed:  # InvalidToken is one: bad, expired, logged out, session ended
            return None
        self.expires_at = access["exp"]
        return user_group(self.user.pk)
