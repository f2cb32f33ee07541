"""The staff orders dashboard. An order is read here, never edited: staff move it along with the
actions, each through orders.services.order_status_change, as every other caller does."""

from django.contrib import admin, messages
from django.db.models import Count
from django.utils import formats, timezone
from django.utils.translation import ngettext

from orders.exceptions import InvalidStatusTransition
from orders.models import Order, OrderItem
from orders.services import order_status_change
from payments.admin import PaymentInline

Status = Order.Status


class OrderItemInline(admin.TabularInline):
    model = OrderItem
    fields = ["product_name", "product", "quantity", "price", "line_total"]
    readonly_fields = fields
    extra = 0
    max_num = 0
    can_delete = False

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("product")

    @admin.display(description="line total")
    def line_total(self, item: OrderItem):
        return item.line_total

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Order)
class OrderAdmin(admin.ModelAdmin):
    list_display = [
        "number",
        "customer",
        "status",
        "payment_status",
        "total_with_currency",
        "item_count",
        "created_at",
        "expires_at",
    ]
    list_filter = ["status", "payment_status", "created_at"]
    list_select_related = ["user"]
    list_per_page = 50
    date_hierarchy = "created_at"
    search_fields = ["number", "user__email", "shipping_full_name"]
    inlines = [OrderItemInline, PaymentInline]
    actions = ["mark_paid", "mark_shipped", "mark_delivered", "cancel"]
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "number",
                    "user",
                    "status",
                    "payment_status",
                    "expires_at",
                    "total_with_currency",
                    "created_at",
                    "updated_at",
                ]
            },
        ),
        (
            "Shipping address",
            {
                "fields": [
                    "shipping_full_name",
                    "shipping_line1",
                    "shipping_line2",
                    "shipping_postal_code",
                    "shipping_city",
                    "shipping_country",
                    "shipping_phone",
                ]
            },
        ),
    ]
    # prices, the total and the status change only through the services: nothing is a form field
    readonly_fields = [field for _, options in fieldsets for field in options["fields"]]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(item_count=Count("items"))

    @admin.display(description="customer", ordering="user__email")
    def customer(self, order: Order) -> str:
        return order.user.email

    @admin.display(description="total", ordering="total")
    def total_with_currency(self, order: Order) -> str:
        return f"{order.currency} {order.total:,.2f}"

    @admin.display(description="items", ordering="item_count")
    def item_count(self, order: Order) -> int:
        return order.item_count

    def has_add_permission(self, request):
        return False  # orders come only from checkout

    def has_change_permission(self, request, obj=None):
        # an order's page is for reading; the model-level permission lets staff run the actions
        return obj is None and super().has_change_permission(request)

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description="expires at")
    def expires_at(self, order: Order):
        """When an order awaiting payment is cancelled; blank for any other."""
        return order.expires_at and formats.localize(timezone.template_localtime(order.expires_at))

    @admin.action(description="Mark as paid (a payment taken outside the shop)", permissions=["change"])
    def mark_paid(self, request, queryset):
        self._move(request, queryset, Status.PAID, "%d order marked as paid.", "%d orders marked as paid.")

    @admin.action(description="Mark as shipped", permissions=["change"])
    def mark_shipped(self, request, queryset):
        self._move(request, queryset, Status.SHIPPED, "%d order marked as shipped.", "%d orders marked as shipped.")

    @admin.action(description="Mark as delivered", permissions=["change"])
    def mark_delivered(self, request, queryset):
        self._move(
            request, queryset, Status.DELIVERED, "%d order marked as delivered.", "%d orders marked as delivered."
        )

    @admin.action(description="Cancel (gives stock back, refunds a paid order)", permissions=["change"])
    def cancel(self, request, queryset):
        self._move(
            request,
            queryset,
            Status.CANCELLED,
            "%d order cancelled; its stock is back and any payment is being refunded.",
            "%d orders cancelled; their stock is back and any payments are being refunded.",
        )

    def _move(self, request, queryset, status: str, singular: str, plural: str) -> None:
        """Move each order on its own: one that may not move is reported and the others still go."""
        moved = 0
        for order in queryset.order_by("pk"):
            try:
                order_status_change(order=order, status=status)
            except InvalidStatusTransition as error:
                self.message_user(request, f"{order.number} was not changed: {error.detail}", messages.ERROR)
            else:
                moved += 1
        if moved:
            self.message_user(request, ngettext(singular, plural, moved) % moved, messages.SUCCESS)
