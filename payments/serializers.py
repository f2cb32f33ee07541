from rest_framework import serializers


class PaymentSerializer(serializers.Serializer):
    """What the storefront needs to take the payment with Stripe.js."""

    id = serializers.CharField(help_text="Stripe's PaymentIntent id (pi_…).")
    status = serializers.CharField(help_text="Stripe's status of the intent, e.g. requires_payment_method.")
    amount = serializers.DecimalField(max_digits=12, decimal_places=2)
    currency = serializers.CharField(help_text="ISO 4217 code, as on the order.")
    client_secret = serializers.CharField(help_text="For Stripe.js: confirms this intent in the browser.")
    publishable_key = serializers.CharField(help_text="The shop's Stripe publishable key.")
