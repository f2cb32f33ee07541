from rest_framework_simplejwt.token_blacklist.management.commands import flushexpiredtokens

from accounts.denylist import denied_tokens_purge


class Command(flushexpiredtokens.Command):
    help = "Delete expired refresh tokens and expired entries of the access-token denylist (run daily)."

    def handle(self, *args, **options):
        super().handle(*args, **options)
        self.stdout.write(f"Purged {denied_tokens_purge()} expired denylisted access tokens.")
