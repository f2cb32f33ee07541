"""The admin's front page for staff who may see orders (orders.view_order): a period's sales against
the period just before it, the days charted and as CSV, the top products and the low stock. Other
staff get Django's own index. The figures are analytics.selectors.analytics_report's, the read behind
GET /api/admin/analytics, and a period asked for is checked by the API's own rules."""

import csv
import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse, HttpResponseRedirect
from django.urls import path, reverse
from django.utils.dateformat import format as date_format
from django.utils.http import urlencode

from analytics.permissions import analytics_viewer
from analytics.selectors import DEFAULT_DAYS, analytics_report, analytics_totals
from analytics.serializers import AnalyticsRangeSerializer

CSV_COLUMNS = ["date", "orders", "revenue", "average_order_value", "currency"]


@dataclass(frozen=True)
class Period:
    first: datetime.date
    last: datetime.date

    @property
    def length(self) -> int:
        return (self.last - self.first).days + 1

    def before(self) -> "Period":
        """As many days, ending the day before."""
        last = self.first - datetime.timedelta(days=1)
        return Period(last - datetime.timedelta(days=self.length - 1), last)

    @property
    def label(self) -> str:
        return f"{date_format(self.first, 'j M Y')} to {date_format(self.last, 'j M Y')}"

    @property
    def query(self) -> str:
        return urlencode({"from": self.first.isoformat(), "to": self.last.isoformat()})

    def report(self) -> dict:
        return analytics_report(date_from=self.first, date_to=self.last)

    def totals(self) -> dict:
        return analytics_totals(date_from=self.first, date_to=self.last)


def asked_period(query) -> tuple[Period, list[str]]:
    """The period `?from=…&to=…` asks for, by the API's rules (the last DEFAULT_DAYS days when neither is
    given); when refused, the default period and the reasons."""
    serializer = AnalyticsRangeSerializer(data=query)
    if not serializer.is_valid():
        reasons = [
            f"{field.capitalize()}: {reason}" for field, reasons in serializer.errors.items() for reason in reasons
        ]
        default = AnalyticsRangeSerializer.validate_data({})
        return Period(default["date_from"], default["date_to"]), reasons
    return Period(serializer.validated_data["date_from"], serializer.validated_data["date_to"]), []


@dataclass(frozen=True)
class Figure:
    label: str
    value: str
    change: str  # against the period before: "+12.5%", "-0.40 pts", or "—" with nothing to compare
    trend: str  # up, down or flat: the change's colour


def _money(amount: Decimal, currency: str) -> str:
    return f"{currency} {amount:,.2f}"  # as the order admin shows a total


def _trend(change: Decimal) -> str:
    return "up" if change > 0 else "down" if change < 0 else "flat"


def _relative(label: str, value: str, now: Decimal | int, before: Decimal | int) -> Figure:
    if not before:  # nothing sold before: no ratio to speak of
        return Figure(label, value, "—", "flat")
    change = (Decimal(now) - before) * 100 / before
    return Figure(label, value, f"{change:+.1f}%", _trend(change))


def figures(totals: dict, before: dict, currency: str) -> list[Figure]:
    """The four totals with their change against `before`, the same totals of the period before."""
    orders, revenue, average = totals["orders"], totals["revenue"], totals["average_order_value"]
    rate = totals["conversion_rate"]
    # a rate changes by percentage points: from 2% to 3% is +1 point, not +50%
    points = (rate - before["conversion_rate"]) * 100
    return [
        _relative("Orders", f"{orders:,}", orders, before["orders"]),
        _relative("Revenue", _money(revenue, currency), revenue, before["revenue"]),
        _relative("Average order value", _money(average, currency), average, before["average_order_value"]),
        Figure("Conversion rate", f"{rate * 100:.2f}%", f"{points:+.2f} pts", _trend(points)),
    ]


def chart_data(report: dict) -> dict:
    """What dashboard.js draws, for the page's json_script: money as exact decimal strings."""
    days = report["days"]
    return {
        "currency": report["currency"],
        "dates": [day["date"].isoformat() for day in days],
        "revenue": [f"{day['revenue']:.2f}" for day in days],
        "orders": [day["orders"] for day in days],
    }


def dashboard_context(request) -> dict:
    period, errors = asked_period(request.GET)
    report = period.report()
    before = period.before()
    currency = report["currency"]
    user = request.user
    # the form shows a refused period as it was asked, to be corrected, else the period shown
    asked = request.GET if errors else {"from": period.first.isoformat(), "to": period.last.isoformat()}
    return {
        "dashboard": {
            "period": period,
            "before": before,
            "errors": errors,
            "default_days": DEFAULT_DAYS,
            "asked": {"from": asked.get("from", ""), "to": asked.get("to", "")},
            "figures": figures(report["totals"], before.totals(), currency),
            "chart": chart_data(report),
            "currency": currency,
            "top_products": [{**row, "revenue": _money(row["revenue"], currency)} for row in report["top_products"]],
            "low_stock": report["low_stock"],
            # the product pages open for either permission, as the admin's own links do
            "link_products": user.has_perm("catalog.view_product") or user.has_perm("catalog.change_product"),
        }
    }


def days_csv(request, *, index_url: str) -> HttpResponse:
    """The period's days as CSV, one row a day; a refused period goes back to the page that says why."""
    if not analytics_viewer(request.user):
        raise PermissionDenied
    period, errors = asked_period(request.GET)
    if errors:
        return HttpResponseRedirect(f"{index_url}?{request.GET.urlencode()}")
    report = period.report()
    filename = f"luxyhome-sales-{period.first.isoformat()}-to-{period.last.isoformat()}.csv"
    response = HttpResponse(
        content_type="text/csv; charset=utf-8", headers={"Content-Disposition": f'attachment; filename="{filename}"'}
    )
    writer = csv.writer(response)
    writer.writerow(CSV_COLUMNS)
    for day in report["days"]:
        revenue, average = f"{day['revenue']:.2f}", f"{day['average_order_value']:.2f}"
        writer.writerow([day["date"].isoformat(), day["orders"], revenue, average, report["currency"]])
    return response


class AdminSite(admin.AdminSite):
    """Django's admin site, opening on the sales dashboard for staff who may see orders."""

    index_template = "analytics/admin_index.html"

    def index(self, request, extra_context=None):
        if analytics_viewer(request.user):
            extra_context = {**dashboard_context(request), **(extra_context or {})}
        return super().index(request, extra_context)

    def get_urls(self):
        csv_view = self.admin_view(self.sales_days_csv)
        return [path("dashboard/days.csv", csv_view, name="sales_days_csv"), *super().get_urls()]

    def sales_days_csv(self, request):
        return days_csv(request, index_url=reverse("admin:index", current_app=self.name))
