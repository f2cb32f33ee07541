"""The daily roll-up: which days each refresh rolls up, and the beat that runs it."""

import datetime
from decimal import Decimal

import pytest
from django.conf import settings as django_settings

from analytics import days, tasks
from analytics.models import DailyProductSales, DailySales
from analytics.selectors import analytics_report
from analytics.services import daily_sales_refresh
from analytics.tests.factories import cart_filled, refund, sale
from cart.models import CartItem
from cart.services import cart_item_remove
from orders.models import Order
from orders.services import order_status_change

pytestmark = pytest.mark.django_db

ONE_DAY = datetime.timedelta(days=1)


@pytest.fixture(autouse=True)
def noon(clock):
    """The refreshes run at noon, unless a test is about another time of day."""
    clock(days.today(), 12)


def stored(day: datetime.date) -> tuple:
    row = DailySales.objects.get(date=day)
    return row.orders, row.revenue, row.carts_started, row.carts_carried


def test_the_first_refresh_rolls_up_every_day_since_the_first_order_and_the_next_only_today(day, at, sofa):
    sale(at(day, 9), (sofa, 1))

    assert daily_sales_refresh() == 11  # the order's day to today
    assert DailySales.objects.count() == 11
    assert stored(day) == (1, Decimal("4200.00"), 1, 0)
    assert list(DailyProductSales.objects.values_list("date", "product", "quantity", "revenue")) == [
        (day, sofa.pk, 1, Decimal("4200.00"))
    ]
    assert daily_sales_refresh() == 1  # today: nothing else changed


def test_a_refund_after_the_day_closed_changes_that_day_at_the_next_refresh(day, at, sofa, lamp):
    refunded = sale(at(day, 9), (sofa, 1), by_card=True)
    sale(at(day, 10), (lamp, 1))
    daily_sales_refresh()

    refund(refunded)  # ten days after it was placed
    before = analytics_report(date_from=day, date_to=day)
    refreshed = daily_sales_refresh()
    after = analytics_report(date_from=day, date_to=day)

    assert (before["totals"]["orders"], before["totals"]["revenue"]) == (2, Decimal("6090.50"))  # the stored figures
    assert refreshed == 2  # the day the refunded order was placed, and today
    assert (after["totals"]["orders"], after["totals"]["revenue"]) == (2, Decimal("1890.50"))  # paid once: it counts
    assert [product["product_id"] for product in after["top_products"]] == [lamp.pk]


def test_an_order_paid_days_after_it_was_placed_changes_its_day_at_the_next_refresh(day, at, sofa):
    order = sale(at(day, 9), (sofa, 1), status=Order.Status.PENDING)
    daily_sales_refresh()
    assert stored(day)[0] == 0

    order_status_change(order=order, status=Order.Status.PAID)  # staff, for a payment taken outside the shop

    assert daily_sales_refresh() == 2
    assert stored(day)[0] == 1


def test_a_finished_day_is_refreshed_once_more_after_midnight(clock, day, at, sofa, lamp):
    clock(day, 23, 55)
    sale(at(day, 9), (sofa, 1))
    assert daily_sales_refresh() == 1  # the day so far
    clock(day, 23, 58)
    sale(at(day, 23, 58), (lamp, 1))  # after that refresh

    clock(day + ONE_DAY, 0, 3)
    assert daily_sales_refresh() == 2  # the day before, once more, and the new day
    assert stored(day)[:2] == (2, Decimal("6090.50"))
    clock(day + ONE_DAY, 0, 13)
    assert daily_sales_refresh() == 2  # the last one ran so soon after midnight that a commit may have been late
    clock(day + ONE_DAY, 0, 23)
    assert daily_sales_refresh() == 1


def test_a_cart_counts_on_each_day_it_held_lines(clock, day, at, lamp):
    user = cart_filled(at(day, 20), (lamp, 1))
    clock(day + 2 * ONE_DAY, 9)
    cart_item_remove(user=user, item_id=CartItem.objects.get(cart__user=user).pk)
    clock(day + 3 * ONE_DAY, 12)

    daily_sales_refresh()

    # (started, carried): filled on the first day, held on the next two, empty on the last
    assert [stored(date)[2:] for date in days.days_from(day, day + 3 * ONE_DAY)] == [(1, 0), (0, 1), (0, 1), (0, 0)]


def test_beat_refreshes_every_analytics_refresh_seconds():
    entry = django_settings.CELERY_BEAT_SCHEDULE["refresh-daily-sales"]

    assert entry["task"] == tasks.daily_sales_refresh.name
    assert entry["schedule"] == django_settings.ANALYTICS_REFRESH_SECONDS == 600
    assert tasks.daily_sales_refresh.delay().get() == 1  # today: there is nothing else yet
    assert DailySales.objects.get().date == days.today()
