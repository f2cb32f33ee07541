from luxyhome.api.exceptions import DomainError


class OrderNotPayable(DomainError):
    code, status = "order_not_payable", 409

    def __init__(self):
        super().__init__("This order is not awaiting payment: it is paid, cancelled or past its time.")


class PaymentsUnavailable(DomainError):
    code, status = "payments_unavailable", 503

    def __init__(self):
        super().__init__("Payments are not configured on this server.")


class PaymentProviderUnavailable(DomainError):
    code, status = "payment_provider_unavailable", 503
    headers = {"Retry-After": "10"}

    def __init__(self):
        super().__init__("The payment provider cannot be reached; try again shortly.")


class InvalidSignature(DomainError):
    code, status = "invalid_signature", 400

    def __init__(self):
        super().__init__("The Stripe-Signature header is missing, does not match the body, or is too old.")


class WebhookUnavailable(DomainError):
    code, status = "webhooks_unavailable", 503

    def __init__(self):
        super().__init__("Stripe webhooks are not configured on this server.")
