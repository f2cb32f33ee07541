from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from luxyhome.api.schema import problems
from payments.webhooks import stripe_event_receive

WEBHOOK_ERRORS = problems(
    {
        400: "The `Stripe-Signature` header is missing, does not match the body or is over 300 seconds old "
        "(`invalid_signature`).",
        503: "Webhooks are not configured on this server (`webhooks_unavailable`).",
    },
    {
        "status": 400,
        "code": "invalid_signature",
        "detail": "The Stripe-Signature header is missing, does not match the body, or is too old.",
    },
    {"status": 503, "code": "webhooks_unavailable", "detail": "Stripe webhooks are not configured on this server."},
)


class StripeWebhookView(APIView):
    """Stripe's webhook: the event is verified and stored, then applied by a worker."""

    # Stripe signs its requests: no sign-in, no CSRF, and no throttle that would make Stripe retry
    authentication_classes = []
    permission_classes = [AllowAny]
    throttle_classes = []

    @extend_schema(
        summary="Receive a Stripe event (for Stripe only)",
        description="The raw body is verified against `Stripe-Signature` and stored; a repeat of an event "
        "already stored answers 200 and changes nothing. Event types the shop does not act on are "
        "accepted and ignored.",
        request={"application/json": OpenApiTypes.OBJECT},
        parameters=[OpenApiParameter("Stripe-Signature", str, OpenApiParameter.HEADER, required=False)],
        responses={
            200: inline_serializer("StripeEventReceived", {"received": serializers.BooleanField()}),
            **WEBHOOK_ERRORS,
        },
    )
    def post(self, request):
        stripe_event_receive(payload=request.body, signature=request.headers.get("Stripe-Signature"))
        return Response({"received": True})
