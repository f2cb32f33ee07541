from luxyhome.api.exceptions import DomainError


class CartEmpty(DomainError):
    code, status = "cart_empty", 400

    def __init__(self):
        super().__init__("The cart is empty: add products before placing an order.")


class OrderTotalTooLarge(DomainError):
    code, status = "order_total_too_large", 409

    def __init__(self):
        super().__init__("This cart comes to more than one order can hold; split it into several orders.")


class IdempotencyKeyReused(DomainError):
    code, status = "idempotency_key_reused", 422

    def __init__(self):
        super().__init__("This Idempotency-Key was used for another cart or address; send a new key.")


class IdempotencyKeyInUse(DomainError):
    code, status = "idempotency_key_in_use", 409

    def __init__(self):
        super().__init__("A request with this Idempotency-Key is still being processed; retry shortly.")


class InvalidStatusTransition(DomainError):
    code, status = "invalid_status_transition", 409

    def __init__(self, current: str, target: str, reason: str = ""):
        detail = reason or f"An order that is {current} cannot become {target}."
        super().__init__(detail, current_status=current, requested_status=target)


class TooManyPendingOrders(DomainError):
    code, status = "too_many_pending_orders", 409

    def __init__(self, limit: int):
        super().__init__(f"You already have {limit} orders awaiting payment: pay or cancel one before placing another.")
