"""Payments for staff, read only: on the order's page, and the webhook events with their attempts."""

from django.contrib import admin

from luxyhome.admin import ReadOnlyAdmin
from payments.models import Payment, StripeEvent


class PaymentInline(admin.TabularInline):
    """An order's payments and their refunds, on the order's page."""

    model = Payment
    fields = ["intent_id", "status", "amount", "currency", "refunds", "created_at", "updated_at"]
    readonly_fields = fields
    extra = 0
    max_num = 0
    can_delete = False

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("refunds")

    @admin.display(description="refunds")
    def refunds(self, payment: Payment) -> str:
        return "; ".join(f"{r.amount} {r.status} {r.stripe_id or ''}".strip() for r in payment.refunds.all()) or "-"

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(StripeEvent)
class StripeEventAdmin(ReadOnlyAdmin):
    list_display = ["id", "type", "received_at", "processed_at", "attempts"]
    list_filter = ["type", "received_at"]
    search_fields = ["id"]
    list_per_page = 50
    readonly_fields = ["id", "type", "payload", "received_at", "processed_at", "attempts"]
