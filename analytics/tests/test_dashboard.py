"""The admin's sales dashboard (analytics.dashboard): who sees it, the figures it shows from real
orders, its period picker, the CSV of the days, and a number of queries that does not grow with them."""

import csv
import datetime
import io
import json
import re

import pytest
from django.contrib.auth.models import Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.tests.factories import UserFactory
from analytics import days
from analytics.models import DailySales
from analytics.services import daily_sales_refresh
from analytics.tests.factories import sale
from catalog.tests.factories import ProductFactory
from orders.models import Order

pytestmark = pytest.mark.django_db

INDEX = "/admin/"
CSV_URL = "/admin/dashboard/days.csv"
ONE_DAY = datetime.timedelta(days=1)


def signed_in(client, user):
    client.force_login(user)
    return client


def staff_with(*codenames: str):
    user = UserFactory(is_staff=True)
    user.user_permissions.set(Permission.objects.filter(codename__in=codenames))
    return user


def shown(response) -> dict[str, tuple[str, str]]:
    """The dashboard's totals as shown: label → (value, change)."""
    return {figure.label: (figure.value, figure.change) for figure in response.context["dashboard"]["figures"]}


def chart_figures(response) -> dict:
    match = re.search(r'<script id="sales-days" type="application/json">(.*?)</script>', response.content.decode())
    return json.loads(match.group(1))


def csv_rows(response) -> list[list[str]]:
    return list(csv.reader(io.StringIO(response.content.decode())))


@pytest.fixture
def manager(client, staff):
    """The admin as the README's shop sets up an order handler: orders and catalog permissions."""
    return signed_in(client, staff)


@pytest.fixture
def noon(at):
    """noon(n): midday n days before today, in the shop's time zone; noon(0) is just past midnight
    today instead, a moment already gone whatever the time now."""

    def moment(days_ago: int):
        day = days.today() - days_ago * ONE_DAY
        return at(day, 12) if days_ago else at(day, 0, 1)

    return moment


@pytest.fixture
def sales(sofa, lamp, noon):
    """Two paid orders in the last 30 days, one in the 30 before, and two that never count."""
    sale(noon(0), (sofa, 1))
    sale(noon(3), (lamp, 2))
    sale(noon(40), (sofa, 1))
    sale(noon(1), (lamp, 1), status=Order.Status.PENDING)
    sale(noon(2), (lamp, 1), status=Order.Status.CANCELLED)


# --- who sees it ----------------------------------------------------------------------------


def test_dashboard_opens_the_admin_for_staff_who_may_see_orders(manager):
    response = manager.get(INDEX)

    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="sales"' in html
    assert "/static/analytics/chart.js-4.6.1/chart.umd.min.js" in html
    assert "/static/analytics/dashboard.js" in html
    # the ordinary index stays below it: the app list and its links
    assert 'href="/admin/orders/order/"' in html
    assert 'href="/admin/catalog/product/"' in html


def test_dashboard_is_shown_to_a_superuser(client):
    response = signed_in(client, UserFactory(is_staff=True, is_superuser=True)).get(INDEX)

    assert "dashboard" in response.context


def test_dashboard_staff_without_view_order_get_the_ordinary_index(client):
    response = signed_in(client, staff_with("view_product", "change_product")).get(INDEX)

    assert response.status_code == 200
    assert "dashboard" not in response.context
    html = response.content.decode()
    assert 'id="sales"' not in html
    assert "chart.umd.min.js" not in html
    assert 'href="/admin/catalog/product/"' in html


def test_dashboard_csv_is_refused_to_staff_without_view_order(client):
    response = signed_in(client, staff_with("view_product")).get(CSV_URL)

    assert response.status_code == 403


@pytest.mark.parametrize("url", [INDEX, CSV_URL])
def test_dashboard_anonymous_and_shoppers_are_sent_to_the_login(client, url):
    assert client.get(url).url.startswith("/admin/login/")
    shopper = UserFactory()
    shopper.user_permissions.set(Permission.objects.filter(codename="view_order"))
    assert signed_in(client, shopper).get(url).url.startswith("/admin/login/")


# --- the figures ----------------------------------------------------------------------------


def test_dashboard_shows_last_30_days_against_the_30_before(manager, sales):
    response = manager.get(INDEX)

    today = days.today()
    figures = shown(response)
    assert figures["Orders"] == ("2", "+100.0%")
    assert figures["Revenue"] == ("USD 7,981.00", "+90.0%")  # 4200.00 + 2 x 1890.50 against 4200.00
    assert figures["Average order value"] == ("USD 3,990.50", "-5.0%")
    # 2 paid of the 4 carts filled (the pending and the cancelled order's too), against 1 of 1 before
    assert figures["Conversion rate"] == ("50.00%", "-50.00 pts")
    html = response.content.decode()
    for text in ("USD 7,981.00", "+90.0%", "USD 3,990.50", "-5.0%"):
        assert text in html
    period = response.context["dashboard"]["period"]
    assert (period.first, period.last) == (today - 29 * ONE_DAY, today)


def test_dashboard_change_is_a_dash_with_nothing_before(manager, sofa, noon):
    sale(noon(0), (sofa, 1))

    figures = shown(manager.get(INDEX))

    assert figures["Orders"] == ("1", "—")
    assert figures["Revenue"] == ("USD 4,200.00", "—")


def test_dashboard_charts_carry_every_day_as_json(manager, sales):
    figures = chart_figures(manager.get(INDEX))

    today = days.today()
    assert figures["currency"] == "USD"
    assert figures["dates"] == [day.isoformat() for day in days.days_from(today - 29 * ONE_DAY, today)]
    assert (figures["revenue"][-1], figures["revenue"][-4]) == ("4200.00", "3781.00")
    assert (figures["orders"][-1], figures["orders"][-4], sum(figures["orders"])) == (1, 1, 2)


def test_dashboard_page_runs_no_inline_script(manager, sales):
    html = manager.get(INDEX).content.decode()

    scripts = re.findall(r"<script\b[^>]*>", html)
    assert scripts
    for tag in scripts:  # the Content-Security-Policy runs files only; JSON is data, not code
        assert " src=" in tag or 'type="application/json"' in tag, tag


def test_dashboard_lists_top_products_and_low_stock_with_links(manager, sales, sofa, lamp):
    ProductFactory(name="Plenty of Cushions", stock=50)

    response = manager.get(INDEX)

    dashboard = response.context["dashboard"]
    assert [row["name"] for row in dashboard["top_products"]] == [sofa.name, lamp.name]
    assert dashboard["top_products"][0]["revenue"] == "USD 4,200.00"
    html = response.content.decode()
    assert f'<a href="/admin/catalog/product/{sofa.pk}/change/">{sofa.name}</a>' in html
    assert f'<a href="/admin/catalog/product/{lamp.pk}/change/">{lamp.name}</a>' in html
    sofa.refresh_from_db()
    assert {"id": sofa.pk, "name": sofa.name, "stock": sofa.stock} in dashboard["low_stock"]
    assert "Plenty of Cushions" not in html


def test_dashboard_names_products_without_links_for_staff_who_cannot_open_them(client, sales, sofa):
    html = signed_in(client, staff_with("view_order")).get(INDEX).content.decode()

    assert sofa.name in html
    assert f"/admin/catalog/product/{sofa.pk}/change/" not in html


# --- the period picker ----------------------------------------------------------------------


def test_dashboard_shows_the_period_asked_for(manager, sofa, lamp, noon):
    sale(noon(45), (sofa, 1))
    sale(noon(50), (lamp, 1))  # the period before
    first, last = days.today() - 49 * ONE_DAY, days.today() - 40 * ONE_DAY

    response = manager.get(INDEX, {"from": first.isoformat(), "to": last.isoformat()})

    dashboard = response.context["dashboard"]
    assert (dashboard["period"].first, dashboard["period"].last) == (first, last)
    assert (dashboard["before"].first, dashboard["before"].last) == (first - 10 * ONE_DAY, first - ONE_DAY)
    assert shown(response)["Orders"] == ("1", "+0.0%")
    assert shown(response)["Revenue"] == ("USD 4,200.00", "+122.2%")
    assert len(chart_figures(response)["dates"]) == 10
    html = response.content.decode()
    assert f'href="/admin/dashboard/days.csv?from={first.isoformat()}&amp;to={last.isoformat()}"' in html
    assert f'value="{first.isoformat()}"' in html
    assert "errornote" not in html


def test_dashboard_one_end_alone_sets_the_period_as_the_api_does(manager):
    last = days.today() - 100 * ONE_DAY

    response = manager.get(INDEX, {"from": "", "to": last.isoformat()})

    period = response.context["dashboard"]["period"]
    assert (period.first, period.last) == (last - 29 * ONE_DAY, last)
    assert f'value="{period.first.isoformat()}"' in response.content.decode()


@pytest.mark.parametrize(
    ("query", "reason"),
    [
        ({"from": "2026-03-10", "to": "2026-03-01"}, "To: The range ends before it starts"),
        ({"from": "2025-01-01", "to": "2026-01-02"}, "To: A range holds at most 366 days."),
        ({"from": "2026-02-30", "to": "2026-03-01"}, "From: Use a date as YYYY-MM-DD"),
        ({"from": "yesterday", "to": "today"}, "From: Use a date as YYYY-MM-DD"),
        ({"from": "0001-01-01", "to": "0001-01-31"}, "From: Use a date as YYYY-MM-DD"),
        ({"from": "9999-12-01", "to": "9999-12-31"}, "From: Use a date as YYYY-MM-DD"),
    ],
)
def test_dashboard_refused_period_says_why_and_shows_the_last_30_days(manager, query, reason):
    response = manager.get(INDEX, query)

    assert response.status_code == 200
    dashboard = response.context["dashboard"]
    assert dashboard["errors"][0].startswith(reason)
    assert (dashboard["period"].last, dashboard["period"].length) == (days.today(), 30)
    html = response.content.decode()
    assert 'class="errornote"' in html
    for value in query.values():  # what was asked stays in the form, to be corrected
        assert f'value="{value}"' in html


# --- CSV --------------------------------------------------------------------------------------


def test_dashboard_csv_lists_every_day_of_the_period(manager, sofa, lamp, noon):
    sale(noon(5), (sofa, 1))
    sale(noon(5), (lamp, 2))
    first, last = days.today() - 6 * ONE_DAY, days.today() - 4 * ONE_DAY

    response = manager.get(CSV_URL, {"from": first.isoformat(), "to": last.isoformat()})

    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == (
        f'attachment; filename="luxyhome-sales-{first.isoformat()}-to-{last.isoformat()}.csv"'
    )
    assert "no-store" in response["Cache-Control"]
    assert csv_rows(response) == [
        ["date", "orders", "revenue", "average_order_value", "currency"],
        [first.isoformat(), "0", "0.00", "0.00", "USD"],
        [(first + ONE_DAY).isoformat(), "2", "7981.00", "3990.50", "USD"],
        [last.isoformat(), "0", "0.00", "0.00", "USD"],
    ]


def test_dashboard_csv_without_a_period_has_the_last_30_days(manager, sofa, noon):
    sale(noon(0), (sofa, 1))

    rows = csv_rows(manager.get(CSV_URL))

    assert len(rows) == 31
    assert rows[-1] == [days.today().isoformat(), "1", "4200.00", "4200.00", "USD"]


def test_dashboard_csv_of_a_refused_period_goes_back_to_the_dashboard(manager):
    response = manager.get(CSV_URL, {"from": "2026-03-10", "to": "2026-03-01"})

    assert response.status_code == 302
    assert response.url == "/admin/?from=2026-03-10&to=2026-03-01"
    assert manager.get(response.url).context["dashboard"]["errors"]


def test_dashboard_link_downloads_the_csv_of_the_period_shown(manager, sofa, noon):
    sale(noon(0), (sofa, 1))
    html = manager.get(INDEX).content.decode()

    link = re.search(r'<a class="sales-csv" href="([^"]+)"', html).group(1).replace("&amp;", "&")
    response = manager.get(link)

    assert response.status_code == 200
    assert csv_rows(response)[-1][:3] == [days.today().isoformat(), "1", "4200.00"]


# --- queries ----------------------------------------------------------------------------------


def queries_of(client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.mark.parametrize("rolled_up", [False, True], ids=["live", "rolled-up"])
def test_dashboard_queries_do_not_grow_with_orders_or_products(manager, noon, rolled_up):
    def place(*days_ago: int) -> None:
        for n in days_ago:
            sale(noon(n), (ProductFactory(stock=4), 2), (ProductFactory(), 1))
        if rolled_up:  # all of it again: orders placed in the past are not what a refresh looks for
            DailySales.objects.all().delete()
            daily_sales_refresh()

    place(2, 40)  # a sale in the period and one in the period before, as below
    few = queries_of(manager, INDEX), queries_of(manager, CSV_URL)
    place(*range(0, 60, 3))

    index, csv_file = queries_of(manager, INDEX), queries_of(manager, CSV_URL)
    assert index <= few[0] <= 40
    assert csv_file <= few[1] <= 20
