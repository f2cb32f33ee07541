import datetime
import zoneinfo
from decimal import Decimal

import pytest
from django.utils import timezone

from analytics import days
from catalog.tests.factories import ProductFactory

SHOP_ZONE = "America/New_York"  # a day there ends at 04:00 or 05:00 UTC: the day boundary is not UTC's


@pytest.fixture(autouse=True)
def shop_zone(settings):
    settings.TIME_ZONE = SHOP_ZONE


@pytest.fixture
def at():
    """at(day, hour, minute=0): that moment in the shop's time zone."""

    def moment(day: datetime.date, hour: int, minute: int = 0) -> datetime.datetime:
        return datetime.datetime.combine(day, datetime.time(hour, minute), zoneinfo.ZoneInfo(SHOP_ZONE))

    return moment


@pytest.fixture
def day():
    """A day well past: ten days before today, in the shop's time zone."""
    return days.today() - datetime.timedelta(days=10)


@pytest.fixture
def table(db):
    return ProductFactory(name="Walnut Dining Table", price=Decimal("450.00"), stock=40)


@pytest.fixture
def clock(monkeypatch, at):
    """clock(day, hour): from then on it is that hour of that day in the shop (Django's now(), auto_now
    fields too), for what depends on the time of day, such as midnight."""

    def set_to(day: datetime.date, hour: int, minute: int = 0) -> None:
        moment = at(day, hour, minute)
        monkeypatch.setattr(timezone, "now", lambda: moment)

    return set_to
