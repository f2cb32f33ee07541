import re

from django.conf import settings
from drf_spectacular.utils import OpenApiExample, OpenApiParameter, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from luxyhome.api.schema import problems
from luxyhome.api.views import NoStoreMixin
from orders.selectors import order_list
from orders.serializers import OrderCreateSerializer, OrderSerializer
from orders.services import order_cancel, order_place
from payments.serializers import PaymentSerializer
from payments.services import payment_start

IDEMPOTENCY_KEY = re.compile(r"^[\x21-\x7e]{1,255}$")  # visible ASCII, as the IETF draft's examples

PLACE_ERRORS = problems(
    {
        400: "The cart is empty (`cart_empty`), or some fields are invalid (`validation_error`).",
        409: "Not enough stock for some products (`insufficient_stock`, naming each in `shortages`), a total "
        "over what one order may come to (`order_total_too_large`), as many orders awaiting payment as a "
        "shopper may hold (`too_many_pending_orders`), or a request with this Idempotency-Key still being "
        "processed (`idempotency_key_in_use`).",
        422: "This Idempotency-Key was used with another cart or address (`idempotency_key_reused`).",
    },
    {"status": 400, "code": "cart_empty", "detail": "The cart is empty: add products before placing an order."},
    {
        "status": 409,
        "code": "insufficient_stock",
        "detail": "Not enough stock for some items.",
        "shortages": [{"product_id": 1, "name": "Emerald Velvet Sofa", "requested": 5, "available": 3}],
    },
    {
        "status": 409,
        "code": "order_total_too_large",
        "detail": "One order may come to at most 9999999999.99; place the cart as several orders.",
    },
    {
        "status": 409,
        "code": "too_many_pending_orders",
        "detail": "You already have 3 orders awaiting payment: pay or cancel one before placing another.",
    },
    {
        "status": 409,
        "code": "idempotency_key_in_use",
        "detail": "A request with this Idempotency-Key is still being processed; retry shortly.",
    },
    {
        "status": 422,
        "code": "idempotency_key_reused",
        "detail": "This Idempotency-Key was used for another cart or address; send a new key.",
    },
)
CANCEL_ERRORS = problems(
    {409: "The order is past being cancelled by its shopper (`invalid_status_transition`)."},
    {
        "status": 409,
        "code": "invalid_status_transition",
        "detail": "Only a pending order can be cancelled here; contact us about this one.",
        "current_status": "shipped",
        "requested_status": "cancelled",
    },
)

PAYMENT_ERRORS = problems(
    {
        409: "The order is not awaiting payment: paid, cancelled or past its time (`order_not_payable`).",
        503: "Payments are not configured (`payments_unavailable`), or Stripe cannot be reached "
        "(`payment_provider_unavailable`, with `Retry-After`).",
    },
    {
        "status": 409,
        "code": "order_not_payable",
        "detail": "This order is not awaiting payment: it is paid, cancelled or past its time.",
    },
    {"status": 503, "code": "payments_unavailable", "detail": "Payments are not configured on this server."},
    {
        "status": 503,
        "code": "payment_provider_unavailable",
        "detail": "The payment provider cannot be reached; try again shortly.",
    },
)


class OrderViewSet(NoStoreMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """The signed-in shopper's own orders: anyone else's are not found."""

    serializer_class = OrderSerializer
    permission_classes = [IsAuthenticated]
    lookup_value_regex = r"\d+"

    def get_queryset(self):
        return order_list(user=self.request.user)

    @extend_schema(summary="A page of the shopper's orders, newest first")
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    @extend_schema(summary="One of the shopper's orders")
    def retrieve(self, request, *args, **kwargs):
        return super().retrieve(request, *args, **kwargs)

    @extend_schema(
        summary="Place an order from the cart",
        description="Prices come from the catalog, never from the request; the stock is taken and the cart "
        "emptied in one transaction. The order awaits payment until `expires_at`, when it is cancelled and "
        "its stock given back; a shopper may hold only a few such orders at once (3 by default). Repeating "
        "the request with the same Idempotency-Key answers the first order again instead of placing a second one.",
        request=OrderCreateSerializer,
        responses={201: OrderSerializer, **PLACE_ERRORS},
        parameters=[
            OpenApiParameter(
                "Idempotency-Key",
                {"type": "string", "minLength": 1, "maxLength": 255, "pattern": IDEMPOTENCY_KEY.pattern},
                OpenApiParameter.HEADER,
                description="1 to 255 visible ASCII characters, new for each order: a repeat answers the "
                "first order instead of placing a second one.",
            )
        ],
        examples=[
            OpenApiExample(
                "order",
                {
                    "shipping_address": {
                        "full_name": "Ada Lovelace",
                        "line1": "12 St James's Square",
                        "city": "London",
                        "postal_code": "SW1Y 4JH",
                        "country": "GB",
                        "phone": "+44 20 7946 0000",
                    }
                },
                request_only=True,
            )
        ],
    )
    def create(self, request):
        data = OrderCreateSerializer.validate_data(request.data)
        order = order_place(user=request.user, idempotency_key=_idempotency_key(request), **data)
        return Response(OrderSerializer(order).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="Cancel a pending order",
        description="Its stock goes back on sale. Only a pending order can be cancelled here.",
        request=None,
        responses={200: OrderSerializer, **CANCEL_ERRORS},
    )
    @action(detail=True, methods=["post"])
    def cancel(self, request, pk=None):
        return Response(OrderSerializer(order_cancel(order=self.get_object())).data)

    @extend_schema(
        summary="Pay an order: its Stripe PaymentIntent",
        description="A new PaymentIntent for the order's total (201), or the order's live one again (200): "
        "confirm it in the browser with Stripe.js and `client_secret`. The order is paid once Stripe "
        "says so. After a declined card, ask again: the same intent, or a new one if it can no longer "
        "be confirmed.",
        request=None,
        responses={201: PaymentSerializer, 200: PaymentSerializer, **PAYMENT_ERRORS},
    )
    @action(detail=True, methods=["post"])
    def payment(self, request, pk=None):
        payment, intent, created = payment_start(order=self.get_object())
        body = {
            "id": intent.id,
            "status": intent.status,
            "amount": payment.amount,
            "currency": payment.currency,
            "client_secret": intent.client_secret,
            "publishable_key": settings.STRIPE_PUBLISHABLE_KEY,
        }
        return Response(PaymentSerializer(body).data, status=status.HTTP_201_CREATED if created else status.HTTP_200_OK)


def _idempotency_key(request) -> str | None:
    key = request.headers.get("Idempotency-Key")
    if key is not None and not IDEMPOTENCY_KEY.fullmatch(key):
        raise ValidationError({"Idempotency-Key": ["Use 1 to 255 visible ASCII characters."]})
    return key
