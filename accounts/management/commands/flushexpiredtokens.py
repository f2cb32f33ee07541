from django.core.management.base import BaseCommand

from accounts.services import expired_tokens_purge


class Command(BaseCommand):
    help = "Delete expired refresh tokens and expired entries of the access-token denylist (beat runs it hourly)."

    def handle(self, *args, **options):
        self.stdout.write(f"Purged {expired_tokens_purge()} expired tokens and denylist entries.")
