from django.core.management.base import BaseCommand

from orders.services import idempotency_keys_purge


class Command(BaseCommand):
    help = "Forget order Idempotency-Keys older than 24 hours (beat runs it hourly)."

    def handle(self, *args, **options):
        self.stdout.write(f"Purged {idempotency_keys_purge()} expired Idempotency-Keys.")
