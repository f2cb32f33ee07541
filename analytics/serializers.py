import datetime
import re
from contextlib import suppress

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework.fields import empty

from analytics.days import today
from analytics.selectors import DEFAULT_DAYS, MAX_DAYS
from luxyhome.api.serializers import InputSerializer

# a year of four digits from 2000 to 2999: the shop's days, far from the ends of Python's dates
DAY_PATTERN = r"^2[0-9]{3}-[0-9]{2}-[0-9]{2}$"
MONEY = {"max_digits": 14, "decimal_places": 2}
FROM_HELP = f"The first day, included. Default: {DEFAULT_DAYS - 1} days before `to`. At most {MAX_DAYS} days in all."


@extend_schema_field({"type": "string", "format": "date", "pattern": DAY_PATTERN})
class DayField(serializers.DateField):
    """A day as YYYY-MM-DD, nothing else ISO 8601 allows; empty counts as absent."""

    default_error_messages = {"invalid": "Use a date as YYYY-MM-DD, from 2000 to 2999."}

    def validate_empty_values(self, data):
        return super().validate_empty_values(empty if data == "" else data)

    def to_internal_value(self, data) -> datetime.date:
        if isinstance(data, str) and re.fullmatch(DAY_PATTERN, data):
            with suppress(ValueError):  # a month or a day that does not exist
                return datetime.date.fromisoformat(data)
        self.fail("invalid")


class AnalyticsRangeSerializer(InputSerializer):
    """The days to show: `from` and `to` both included, at most MAX_DAYS. Without `to`, up to today;
    without `from`, the DEFAULT_DAYS days ending `to`."""

    def get_fields(self):  # `from` is a Python keyword: no class attribute can be named so
        return {
            "from": DayField(required=False, help_text=FROM_HELP),
            "to": DayField(required=False, help_text="The last day, included. Default: today in the shop's time zone."),
        }

    def validate(self, data: dict) -> dict:
        date_to = data.get("to") or today()
        date_from = data.get("from") or date_to - datetime.timedelta(days=DEFAULT_DAYS - 1)
        if date_from > date_to:
            raise serializers.ValidationError({"to": ["The range ends before it starts: `to` is before `from`."]})
        if (date_to - date_from).days + 1 > MAX_DAYS:
            raise serializers.ValidationError({"to": [f"A range holds at most {MAX_DAYS} days."]})
        return {"date_from": date_from, "date_to": date_to}


class AnalyticsDaySerializer(serializers.Serializer):
    date = serializers.DateField()
    orders = serializers.IntegerField()
    revenue = serializers.DecimalField(**MONEY)
    average_order_value = serializers.DecimalField(**MONEY)


class AnalyticsTotalsSerializer(serializers.Serializer):
    orders = serializers.IntegerField()
    revenue = serializers.DecimalField(**MONEY)
    average_order_value = serializers.DecimalField(**MONEY)
    conversion_rate = serializers.DecimalField(
        max_digits=5, decimal_places=4, help_text="The orders ÷ the carts that held a line in the range, 0 to 1."
    )


class TopProductSerializer(serializers.Serializer):
    product_id = serializers.IntegerField()
    name = serializers.CharField()
    quantity = serializers.IntegerField()
    revenue = serializers.DecimalField(**MONEY)


class LowStockProductSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    stock = serializers.IntegerField()


class AnalyticsSerializer(serializers.Serializer):
    """The shop's figures for a range of days."""

    currency = serializers.CharField()
    days = AnalyticsDaySerializer(many=True, help_text="Every day of the range, in order, zeros included.")
    totals = AnalyticsTotalsSerializer()
    top_products = TopProductSerializer(many=True, help_text="The 10 best by revenue in the range.")
    low_stock = LowStockProductSerializer(
        many=True, help_text="Products for sale with stock at or under LOW_STOCK_THRESHOLD, fewest first."
    )
