from luxyhome.api.exceptions import DomainError


class CartFull(DomainError):
    code, status = "cart_full", 409

    def __init__(self, limit: int):
        super().__init__(f"A cart holds at most {limit} products: remove one before adding another.")
