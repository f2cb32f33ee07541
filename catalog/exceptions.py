from dataclasses import asdict, dataclass

from luxyhome.api.exceptions import DomainError


@dataclass(frozen=True)
class Shortage:
    product_id: int
    name: str
    requested: int
    available: int


class InsufficientStock(DomainError):
    """More was asked for than is on hand; names every short product and what is available."""

    code, status = "insufficient_stock", 409

    def __init__(self, shortages: list[Shortage]):
        super().__init__("Not enough stock for some items.", shortages=[asdict(s) for s in shortages])
