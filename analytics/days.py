"""Days in the shop's time zone (TIME_ZONE), never in one a request activated: the figures are the shop's."""

import datetime

from django.db.models.functions import TruncDate
from django.utils import timezone

ONE_DAY = datetime.timedelta(days=1)


def today() -> datetime.date:
    return timezone.localdate(timezone=timezone.get_default_timezone())


def day_of(moment: datetime.datetime) -> datetime.date:
    return timezone.localdate(moment, timezone=timezone.get_default_timezone())


def start_of(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min), timezone.get_default_timezone())


def month_start(day: datetime.date) -> datetime.date:
    return day.replace(day=1)


def next_month(day: datetime.date) -> datetime.date:
    """The first day of the month after `day`'s."""
    return (day.replace(day=28) + datetime.timedelta(days=4)).replace(day=1)


def days_from(first: datetime.date, last: datetime.date) -> list[datetime.date]:
    """Every day from `first` to `last`, both included."""
    return [first + datetime.timedelta(days=n) for n in range((last - first).days + 1)]


def by_day(queryset, moment: str, *fields: str):
    """`queryset.values("day", *fields)`, "day" being the day of the field `moment`: to group by it."""
    return queryset.annotate(day=TruncDate(moment, tzinfo=timezone.get_default_timezone())).values("day", *fields)
