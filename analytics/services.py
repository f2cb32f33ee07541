"""The daily roll-up: each day's figures (analytics.selectors.day_figures) stored, refreshed by beat."""

import datetime
from itertools import groupby

from django.db import connection, transaction
from django.db.models import Min, Sum
from django.db.models.functions import TruncMonth
from django.utils import timezone

from analytics import days
from analytics.models import DailyProductSales, DailySales, MonthlyProductSales
from analytics.selectors import day_figures
from cart.models import CartSpan
from orders.models import Order

# a change stamped this long before a refresh began may have been committed after it began: a
# transaction's timestamps are taken before its commit (a checkout, a payment waiting on Stripe)
LATE_COMMIT_GRACE = datetime.timedelta(minutes=5)


@transaction.atomic
def daily_sales_refresh() -> int:
    """Roll up every day whose figures may have changed since the last refresh; returns how many days.

    Those are the days not over when their row was written: today at every refresh, a finished day
    once more after midnight (until LATE_COMMIT_GRACE after it), and on the first refresh every day
    since the first order or cart. And the days of the orders changed since the last refresh began
    (paid, cancelled or refunded, however long after the day they were placed). Carts need no more:
    a cart is filled or emptied now, which changes today's figures alone.
    """
    _one_refresh_at_a_time()
    refreshed_at, today = timezone.now(), days.today()
    written = dict(DailySales.objects.values_list("date", "refreshed_at"))
    stale = {
        day
        for day in days.days_from(_first_day() or today, today)
        if day not in written or written[day] < days.start_of(day + days.ONE_DAY) + LATE_COMMIT_GRACE
    }
    if written:
        stale |= _days_of_orders_changed_since(max(written.values()) - LATE_COMMIT_GRACE)
    for run in _runs(sorted(stale)):
        _roll_up(run[0], run[-1], refreshed_at)
    return len(stale)


def _one_refresh_at_a_time() -> None:
    # a refresh still running at the next beat (the first one, rolling up all history) would write the
    # same rows: the second waits for it, and then finds little left to do. Readers are not blocked.
    # SQLite lets one transaction write at a time anyway.
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f"LOCK TABLE {DailySales._meta.db_table} IN SHARE ROW EXCLUSIVE MODE")


def _first_day() -> datetime.date | None:
    firsts = [Order.objects.aggregate(first=Min("created_at"))["first"]]
    firsts.append(CartSpan.objects.aggregate(first=Min("started_at"))["first"])
    return min((days.day_of(moment) for moment in firsts if moment), default=None)


def _days_of_orders_changed_since(since: datetime.datetime) -> set[datetime.date]:
    changed = days.by_day(Order.objects.filter(updated_at__gte=since), "created_at").order_by().distinct()
    return {row["day"] for row in changed}


def _runs(dates: list[datetime.date]) -> list[list[datetime.date]]:
    """Sorted dates in runs of consecutive days: each is rolled up in one go."""
    by_run = groupby(enumerate(dates), key=lambda pair: pair[1] - datetime.timedelta(days=pair[0]))
    return [[day for _, day in run] for _, run in by_run]


def _roll_up(first: datetime.date, last: datetime.date, refreshed_at: datetime.datetime) -> None:
    figures = day_figures(first=first, last=last)
    DailySales.objects.bulk_create(
        [
            DailySales(
                date=day,
                orders=day_figure.orders,
                revenue=day_figure.revenue,
                carts_started=day_figure.carts_started,
                carts_carried=day_figure.carts_carried,
                refreshed_at=refreshed_at,
            )
            for day, day_figure in figures.items()
        ],
        update_conflicts=True,
        unique_fields=["date"],
        update_fields=["orders", "revenue", "carts_started", "carts_carried", "refreshed_at"],
    )
    DailyProductSales.objects.filter(date__range=(first, last)).delete()
    DailyProductSales.objects.bulk_create(
        (
            DailyProductSales(date=day, product_id=product_id, quantity=sold, revenue=revenue)
            for day, day_figure in figures.items()
            for product_id, (sold, revenue) in day_figure.products.items()
        ),
        batch_size=5000,
    )
    _months_roll_up(days.month_start(first), days.next_month(last))


def _months_roll_up(first: datetime.date, end: datetime.date) -> None:
    """The monthly product rows of the months from `first` up to `end` (excluded), from the daily ones."""
    MonthlyProductSales.objects.filter(month__gte=first, month__lt=end).delete()
    sums = (
        DailyProductSales.objects.filter(date__gte=first, date__lt=end)
        .annotate(month=TruncMonth("date"))
        .order_by()
        .values("month", "product_id")
        .annotate(sold=Sum("quantity"), amount=Sum("revenue"))
        .values_list("month", "product_id", "sold", "amount")
    )
    MonthlyProductSales.objects.bulk_create(
        (
            MonthlyProductSales(month=month, product_id=product_id, quantity=sold, revenue=amount)
            for month, product_id, sold, amount in sums
        ),
        batch_size=5000,
    )
