"""seed_orders, the benchmark's data, and the roll-up checked against the figures computed live on it."""

import datetime
import io

import pytest
from django.core.management import call_command
from django.db import transaction

from analytics import days
from analytics.models import DailyProductSales, DailySales, MonthlyProductSales
from analytics.selectors import analytics_report
from analytics.services import daily_sales_refresh
from analytics.tests.factories import refund
from orders.models import Order

pytestmark = pytest.mark.django_db


def report() -> dict:
    """The figures of the last 100 days."""
    return analytics_report(date_from=days.today() - datetime.timedelta(days=99), date_to=days.today())


def live_report() -> dict:
    """The report with no roll-up to read: every day computed from the orders and carts."""
    with transaction.atomic():
        for model in (DailySales, DailyProductSales, MonthlyProductSales):
            model.objects.all().delete()
        live = report()
        transaction.set_rollback(True)
    return live


def test_the_roll_up_answers_as_the_live_figures_across_whole_months_and_after_a_late_refund(sofa, lamp, table):
    call_command("seed_orders", orders=600, days=100, shoppers=40, stdout=io.StringIO())
    assert Order.objects.count() == 600
    assert MonthlyProductSales.objects.exists()

    rolled_up = report()
    assert rolled_up == live_report()
    assert 0 < rolled_up["totals"]["orders"] < 600  # the unpaid ones do not count
    assert 0 < rolled_up["totals"]["conversion_rate"] < 1

    weeks_ago = days.start_of(days.today()) - datetime.timedelta(days=40)
    refund(Order.objects.filter(status=Order.Status.PAID, created_at__lt=weeks_ago).earliest("created_at"))
    daily_sales_refresh()

    refunded = report()
    assert refunded == live_report()
    assert refunded["totals"]["revenue"] < rolled_up["totals"]["revenue"]
