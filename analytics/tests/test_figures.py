"""The figures themselves: which orders count, on which day, for how much; carts; top products."""

import datetime
from decimal import Decimal

import pytest

from analytics import days
from analytics.models import DailySales
from analytics.selectors import analytics_report
from analytics.services import daily_sales_refresh
from analytics.tests.factories import cart_filled, refund, sale
from catalog.tests.factories import ProductFactory
from orders.models import Order
from orders.services import order_status_change
from orders.tests.factories import place_order

pytestmark = pytest.mark.django_db

ONE_DAY = datetime.timedelta(days=1)


@pytest.fixture
def mixed(day, at, sofa, lamp, table):
    """Two days of orders in New York: paid, unpaid, cancelled, refunded and shipped, one of them 30
    minutes before midnight (the next day already in UTC), and a cart left with a line in it."""
    sale(at(day, 23, 30), (sofa, 1))
    sale(at(day + ONE_DAY, 0, 30), (lamp, 2))
    sale(at(day, 12), (table, 1), status=Order.Status.PENDING)
    sale(at(day, 13), (table, 1), status=Order.Status.CANCELLED)
    refund(sale(at(day + ONE_DAY, 10), (sofa, 1), by_card=True))
    sale(at(day + ONE_DAY, 11), (table, 3), status=Order.Status.SHIPPED)
    cart_filled(at(day, 20), (lamp, 1))


def figures_of(report: dict) -> list[tuple]:
    return [(d["date"], d["orders"], d["revenue"], d["average_order_value"]) for d in report["days"]]


@pytest.mark.parametrize("rolled_up", [False, True], ids=["live", "rolled-up"])
def test_report_counts_the_paid_orders_of_each_day_in_the_shop_time_zone(mixed, day, sofa, lamp, table, rolled_up):
    if rolled_up:
        daily_sales_refresh()
        assert DailySales.objects.filter(date__in=[day, day + ONE_DAY]).count() == 2

    report = analytics_report(date_from=day, date_to=day + ONE_DAY)

    assert report["currency"] == "USD"
    assert figures_of(report) == [
        (day, 1, Decimal("4200.00"), Decimal("4200.00")),
        # the lamps, the shipped tables, and the refunded sofa: paid once, its money given back
        (day + ONE_DAY, 3, Decimal("5131.00"), Decimal("1710.33")),
    ]
    # 4 orders of the 7 carts that held a line: 4 on the first day (the abandoned one too), 3 on the second
    assert report["totals"] == {
        "orders": 4,
        "revenue": Decimal("9331.00"),
        "average_order_value": Decimal("2332.75"),
        "conversion_rate": Decimal("0.5714"),
    }
    assert report["top_products"] == [
        {"product_id": sofa.pk, "name": "Emerald Velvet Sofa", "quantity": 1, "revenue": Decimal("4200.00")},
        {"product_id": lamp.pk, "name": "Brass Arc Floor Lamp", "quantity": 2, "revenue": Decimal("3781.00")},
        {"product_id": table.pk, "name": "Walnut Dining Table", "quantity": 3, "revenue": Decimal("1350.00")},
    ]


@pytest.mark.parametrize("rolled_up", [False, True], ids=["live", "rolled-up"])
def test_a_cart_still_holding_lines_counts_on_the_later_days_too(mixed, day, rolled_up):
    if rolled_up:
        daily_sales_refresh()

    second_day = analytics_report(date_from=day + ONE_DAY, date_to=day + ONE_DAY)["totals"]
    quiet_days = analytics_report(date_from=day + 2 * ONE_DAY, date_to=day + 3 * ONE_DAY)["totals"]

    assert (second_day["orders"], second_day["conversion_rate"]) == (3, Decimal("0.7500"))  # 3 new carts + 1 left
    assert (quiet_days["orders"], quiet_days["conversion_rate"]) == (0, Decimal("0.0000"))


def test_every_day_of_the_range_is_listed_with_zeros(day):
    report = analytics_report(date_from=day - 2 * ONE_DAY, date_to=day)

    assert figures_of(report) == [
        (d, 0, Decimal("0.00"), Decimal("0.00")) for d in days.days_from(day - 2 * ONE_DAY, day)
    ]
    assert report["totals"] == {
        "orders": 0,
        "revenue": Decimal("0.00"),
        "average_order_value": Decimal("0.00"),
        "conversion_rate": Decimal("0.0000"),
    }
    assert report["top_products"] == []


def test_today_is_live_and_the_days_before_come_from_the_roll_up(at, sofa, lamp):
    today = days.today()
    sale(at(today - ONE_DAY, 9), (sofa, 1))
    daily_sales_refresh()
    sale(at(today, 0, 5), (lamp, 1))
    DailySales.objects.filter(date=today - ONE_DAY).update(orders=7)  # what a stale row would say

    report = analytics_report(date_from=today - ONE_DAY, date_to=today)

    assert [d["orders"] for d in report["days"]] == [7, 1]


def test_top_products_are_the_ten_best_by_revenue_stored_and_live_days_together(at):
    today = days.today()
    products = [ProductFactory(price=Decimal(100 + n), stock=50) for n in range(12)]
    for product in products:
        sale(at(today - ONE_DAY, 10), (product, 1))
    daily_sales_refresh()
    sale(at(today, 0, 10), (products[0], 3))  # today's sales take the cheapest to the top

    top = analytics_report(date_from=today - ONE_DAY, date_to=today)["top_products"]

    assert [(p["product_id"], p["quantity"], p["revenue"]) for p in top] == [
        (products[0].pk, 4, Decimal("400.00")),
        *((products[n].pk, 1, Decimal(100 + n)) for n in range(11, 2, -1)),
    ]


def test_low_stock_lists_products_for_sale_at_or_under_the_threshold_fewest_first(settings, day):
    settings.LOW_STOCK_THRESHOLD = 2
    two = ProductFactory(name="Oak Stool", stock=2)
    none = ProductFactory(name="Linen Throw", stock=0)
    ProductFactory(name="Silk Cushion", stock=3)
    ProductFactory(name="Jade Vase", stock=1, is_active=False)  # archived: not for sale

    low = analytics_report(date_from=day, date_to=day)["low_stock"]

    assert low == [{"id": none.pk, "name": "Linen Throw", "stock": 0}, {"id": two.pk, "name": "Oak Stool", "stock": 2}]


def test_orders_from_before_carts_were_counted_convert_at_most_all_carts(sofa):
    order = place_order(None, (sofa, 1))  # its cart filled directly, as before cart spans were kept
    order_status_change(order=order, status=Order.Status.PAID)

    totals = analytics_report(date_from=days.today(), date_to=days.today())["totals"]

    assert (totals["orders"], totals["conversion_rate"]) == (1, Decimal("1.0000"))
