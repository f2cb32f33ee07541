"""The staff figures: sales by day in TIME_ZONE, conversion, top products and low stock.

Every rule of what counts lives here, in `day_figures`. The daily roll-up (analytics.models, kept by
analytics.services) stores its answer for days gone by; `analytics_report` reads those rows, and
computes today, and any day not rolled up yet, live with the same function.
"""

import datetime
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from itertools import pairwise

from django.conf import settings
from django.db.models import Case, Count, DecimalField, F, Min, OuterRef, Q, Subquery, Sum, Value, When
from django.db.models.functions import Coalesce, Greatest

from analytics import days
from analytics.models import DailyProductSales, DailySales, MonthlyProductSales
from cart.models import CartSpan
from catalog.models import Product
from orders.models import Order, OrderItem
from payments.models import Refund

MAX_DAYS = 366  # a range holds at most this many days, both ends included
DEFAULT_DAYS = 30  # the dashboard's range when none is asked for: these many days ending today
TOP_PRODUCTS = 10

CENTS, RATE = Decimal("0.01"), Decimal("0.0001")
MONEY = DecimalField(max_digits=14, decimal_places=2)
PaymentStatus = Order.PaymentStatus
ZERO = Decimal("0.00")


STORED_FIGURES = ["date", "orders", "revenue", "carts_started", "carts_carried"]  # DailySales, as DayFigures


@dataclass
class DayFigures:
    orders: int = 0
    revenue: Decimal = ZERO
    carts_started: int = 0  # carts that got a first line this day
    carts_carried: int = 0  # carts holding lines since an earlier day that still held them this day
    products: dict[int, tuple[int, Decimal]] = field(default_factory=dict)  # product id → (quantity, revenue)


def analytics_report(*, date_from: datetime.date, date_to: datetime.date) -> dict:
    """The figures of the days from `date_from` to `date_to`, both included, as the contract's
    `GET /api/admin/analytics` has them, in native types:

        {"currency": "USD",
         "days": [{"date": date, "orders": int, "revenue": Decimal, "average_order_value": Decimal}, ...],
         "totals": {"orders": int, "revenue": Decimal, "average_order_value": Decimal,
                    "conversion_rate": Decimal},
         "top_products": [{"product_id": int, "name": str, "quantity": int, "revenue": Decimal}, ...],
         "low_stock": [{"id": int, "name": str, "stock": int}, ...]}

    `days` lists every day of the range in order, zeros included. A day counts the orders placed
    that day (TIME_ZONE) that have been paid; revenue is their totals less what was refunded, with
    two decimal places; average_order_value is revenue ÷ orders ("0.00" when none). conversion_rate
    (four places, 0 to 1) is those orders ÷ the carts that held a line in the range. top_products:
    the 10 best by revenue in the range; low_stock: active products with stock at or under
    LOW_STOCK_THRESHOLD, fewest first.

    The caller checks the range (analytics.serializers.AnalyticsRangeSerializer): date_from ≤
    date_to, at most MAX_DAYS days. A constant number of queries, whatever the number of orders.
    """
    dates = days.days_from(date_from, date_to)
    figures, split, live = _figures_of(dates)
    stored_days = (date_from, split - days.ONE_DAY if split else date_to) if split != date_from else None
    return {
        "currency": settings.CURRENCY,
        "days": [
            {"date": date, "orders": day.orders, "revenue": day.revenue, "average_order_value": _mean(day)}
            for date, day in zip(dates, figures, strict=True)
        ],
        "totals": _totals(figures),
        "top_products": _top_products(stored_days, live),
        "low_stock": list(
            Product.objects.active()
            .filter(stock__lte=settings.LOW_STOCK_THRESHOLD)
            .order_by("stock", "name", "id")
            .values("id", "name", "stock")
        ),
    }


def analytics_totals(*, date_from: datetime.date, date_to: datetime.date) -> dict:
    """analytics_report's `totals` alone, for a range to compare with (the dashboard's period before)."""
    return _totals(_figures_of(days.days_from(date_from, date_to))[0])


def _totals(figures: list[DayFigures]) -> dict:
    orders = sum(day.orders for day in figures)
    revenue = sum((day.revenue for day in figures), ZERO)
    carts = figures[0].carts_carried + sum(day.carts_started for day in figures)
    return {
        "orders": orders,
        "revenue": revenue,
        "average_order_value": _mean(DayFigures(orders=orders, revenue=revenue)),
        "conversion_rate": _rate(orders, carts),
    }


def _figures_of(dates: list[datetime.date]) -> tuple[list, datetime.date | None, dict[datetime.date, DayFigures]]:
    """Each day's figures: the roll-up's, up to the first day it cannot answer (today at the latest: its
    row is always behind), and live from that day on. Returns them, that day (None: no live day),
    and the live days' figures."""
    rows = DailySales.objects.filter(date__range=(dates[0], dates[-1]))
    stored = {day: DayFigures(*figures) for day, *figures in rows.values_list(*STORED_FIGURES)}
    # the first refresh rolls up from the first order or cart on: the days before saw nothing
    began = DailySales.objects.aggregate(first=Min("date"))["first"]
    stored.update({day: DayFigures() for day in dates if began and day < began})
    today = days.today()
    split = next((day for day in dates if day not in stored or day >= today), None)
    live = day_figures(first=split, last=dates[-1]) if split else {}
    return [live[day] if day in live else stored[day] for day in dates], split, live


def day_figures(*, first: datetime.date, last: datetime.date) -> dict[datetime.date, DayFigures]:
    """The figures of each day from `first` to `last`, both included, computed from the orders and the
    carts themselves: the rules of what counts. Five queries, however many days."""
    start, end = days.start_of(first), days.start_of(last + days.ONE_DAY)
    figures = {day: DayFigures() for day in days.days_from(first, last)}
    placed = Order.objects.paid().filter(created_at__gte=start, created_at__lt=end)
    sales = days.by_day(placed, "created_at").annotate(orders=Count("id"), revenue=Sum(_revenue(), output_field=MONEY))
    for row in sales:
        figures[row["day"]].orders, figures[row["day"]].revenue = row["orders"], row["revenue"].quantize(CENTS)
    # a refunded order's lines sold nothing: the money went back with the goods
    lines = OrderItem.objects.filter(order__in=placed.exclude(payment_status=PaymentStatus.REFUNDED))
    line_total = Sum(F("price") * F("quantity"), output_field=MONEY)
    for row in days.by_day(lines, "order__created_at", "product_id").annotate(sold=Sum("quantity"), revenue=line_total):
        figures[row["day"]].products[row["product_id"]] = (row["sold"], row["revenue"].quantize(CENTS))
    _carts_count(figures, first, start, end)
    return figures


def _carts_count(figures: dict[datetime.date, DayFigures], first: datetime.date, start, end) -> None:
    """Each day's carts: a cart holds lines from its first line until checkout or its last line's removal
    (cart.models.CartSpan); it is started on its first day and carried into each later one it lasts."""
    started = days.by_day(CartSpan.objects.filter(started_at__gte=start, started_at__lt=end), "started_at")
    ended = days.by_day(CartSpan.objects.filter(ended_at__gte=start, ended_at__lt=end), "ended_at")
    ended_by_day = {row["day"]: row["count"] for row in ended.annotate(count=Count("id"))}
    for row in started.annotate(count=Count("id")):
        figures[row["day"]].carts_started = row["count"]
    carried = CartSpan.objects.filter(Q(ended_at=None) | Q(ended_at__gte=start), started_at__lt=start).count()
    figures[first].carts_carried = carried
    for day, next_day in pairwise(sorted(figures)):
        carried += figures[day].carts_started - ended_by_day.get(day, 0)
        figures[next_day].carts_carried = carried


def _revenue():
    """An order's revenue: its total, less the refunds that gave its payment back."""
    refunded = (
        Refund.objects.filter(payment__order=OuterRef("pk"), status=Refund.Status.SUCCEEDED)
        .values("payment__order")
        .annotate(amount=Sum("amount"))
        .values("amount")
    )
    given_back = Greatest(F("total") - Coalesce(Subquery(refunded), Value(ZERO)), Value(ZERO), output_field=MONEY)
    # only once the order's own payment went back: a refunded second payment of a paid order was never in its total
    return Case(When(payment_status=PaymentStatus.REFUNDED, then=given_back), default=F("total"), output_field=MONEY)


def _top_products(stored_days: tuple[datetime.date, datetime.date] | None, live: dict) -> list[dict]:
    """The TOP_PRODUCTS best by revenue (ties: the lowest id first), the stored days and the live ones together."""
    totals: dict[int, tuple[int, Decimal]] = {}
    sold = [item for figures in live.values() for item in figures.products.items()]
    for product_id, (quantity, revenue) in [*sold, *(_stored_product_sales(*stored_days) if stored_days else [])]:
        before = totals.get(product_id, (0, ZERO))
        totals[product_id] = (before[0] + quantity, before[1] + revenue)
    best = sorted(totals.items(), key=lambda item: (-item[1][1], item[0]))[:TOP_PRODUCTS]
    names = dict(Product.objects.filter(pk__in=[product_id for product_id, _ in best]).values_list("pk", "name"))
    return [
        {"product_id": product_id, "name": names[product_id], "quantity": quantity, "revenue": revenue}
        for product_id, (quantity, revenue) in best
    ]


def _stored_product_sales(first: datetime.date, last: datetime.date) -> list[tuple[int, tuple[int, Decimal]]]:
    """What each product sold on the stored days `first` to `last`: the whole months from the monthly
    roll-up, the days before and after them from the daily one (a year: 11 rows a product, not 365)."""
    months_from = first if first.day == 1 else days.next_month(first)
    months_to = days.month_start(last + days.ONE_DAY)  # the whole months end the day before
    if months_from < months_to:
        sources = [
            MonthlyProductSales.objects.filter(month__gte=months_from, month__lt=months_to),
            DailyProductSales.objects.filter(
                Q(date__gte=first, date__lt=months_from) | Q(date__gte=months_to, date__lte=last)
            ),
        ]
    else:
        sources = [DailyProductSales.objects.filter(date__range=(first, last))]
    return [
        (product_id, (quantity, revenue))
        for rows in sources
        for product_id, quantity, revenue in rows.order_by()
        .values("product_id")
        .annotate(sold=Sum("quantity"), amount=Sum("revenue"))
        .values_list("product_id", "sold", "amount")
    ]


def _mean(day) -> Decimal:
    return (day.revenue / day.orders).quantize(CENTS, ROUND_HALF_UP) if day.orders else ZERO


def _rate(orders: int, carts: int) -> Decimal:
    # each order ends the cart it came from, so orders never outnumber carts; orders placed before
    # carts were counted (cart.CartSpan) may, and the rate stays at 1 for them
    return min(Decimal(orders) / max(carts, 1), Decimal(1)).quantize(RATE, ROUND_HALF_UP)
