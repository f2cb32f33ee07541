"""GET /api/admin/analytics: the contract's shape, its range, who may read it, and its query count."""

import datetime

import pytest
from django.contrib.auth.models import Permission

from accounts.tests.factories import UserFactory
from analytics import days
from analytics.models import DailySales
from analytics.services import daily_sales_refresh
from analytics.tests.factories import sale
from catalog.tests.factories import ProductFactory

pytestmark = pytest.mark.django_db

URL = "/api/admin/analytics"
ONE_DAY = datetime.timedelta(days=1)


def test_the_figures_as_the_contract_has_them(staff_client, day, at, sofa, lamp):
    sale(at(day, 23, 30), (sofa, 1))  # the next day in UTC
    sale(at(day + ONE_DAY, 10), (lamp, 1))

    response = staff_client.get(URL, {"from": day.isoformat(), "to": (day + ONE_DAY).isoformat()})

    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    assert response.json() == {
        "currency": "USD",
        "days": [
            {"date": day.isoformat(), "orders": 1, "revenue": "4200.00", "average_order_value": "4200.00"},
            {"date": (day + ONE_DAY).isoformat(), "orders": 1, "revenue": "1890.50", "average_order_value": "1890.50"},
        ],
        "totals": {"orders": 2, "revenue": "6090.50", "average_order_value": "3045.25", "conversion_rate": "1.0000"},
        "top_products": [
            {"product_id": sofa.pk, "name": "Emerald Velvet Sofa", "quantity": 1, "revenue": "4200.00"},
            {"product_id": lamp.pk, "name": "Brass Arc Floor Lamp", "quantity": 1, "revenue": "1890.50"},
        ],
        "low_stock": [{"id": sofa.pk, "name": "Emerald Velvet Sofa", "stock": 2}],
    }


@pytest.mark.parametrize("query", [{}, {"from": "", "to": ""}], ids=["absent", "empty"])
def test_without_a_range_the_last_30_days_ending_today(staff_client, query):
    response = staff_client.get(URL, query)

    assert response.status_code == 200
    dates = [entry["date"] for entry in response.json()["days"]]
    assert dates == [date.isoformat() for date in days.days_from(days.today() - 29 * ONE_DAY, days.today())]


def test_one_end_alone_sets_the_range_from_it(staff_client):
    to = days.today() - 100 * ONE_DAY

    only_to = staff_client.get(URL, {"to": to.isoformat()}).json()["days"]
    only_from = staff_client.get(URL, {"from": (days.today() - ONE_DAY).isoformat()}).json()["days"]

    assert (only_to[0]["date"], only_to[-1]["date"], len(only_to)) == (
        (to - 29 * ONE_DAY).isoformat(),
        to.isoformat(),
        30,
    )
    assert [entry["date"] for entry in only_from] == [(days.today() - ONE_DAY).isoformat(), days.today().isoformat()]


def test_a_range_of_366_days_is_answered_day_by_day(staff_client):
    response = staff_client.get(URL, {"from": "2024-01-01", "to": "2024-12-31"})  # a leap year

    assert response.status_code == 200
    assert len(response.json()["days"]) == 366


@pytest.mark.parametrize(
    ("query", "field", "message"),
    [
        ({"from": "2024-01-01", "to": "2025-01-01"}, "to", "A range holds at most 366 days."),
        ({"from": "2024-03-02", "to": "2024-03-01"}, "to", "The range ends before it starts"),
        ({"from": "2024-02-30"}, "from", "Use a date as YYYY-MM-DD"),
        ({"from": "2024-2-3"}, "from", "Use a date as YYYY-MM-DD"),
        ({"to": "20240203"}, "to", "Use a date as YYYY-MM-DD"),
        ({"to": "2024-02-03T00:00:00"}, "to", "Use a date as YYYY-MM-DD"),
        ({"to": "yesterday"}, "to", "Use a date as YYYY-MM-DD"),
        ({"from": "1999-12-31"}, "from", "Use a date as YYYY-MM-DD"),
    ],
)
def test_a_bad_range_is_a_400_naming_the_parameter(staff_client, query, field, message):
    response = staff_client.get(URL, query)

    assert response.status_code == 400
    assert response["Content-Type"].startswith("application/problem+json")
    body = response.json()
    assert (body["code"], list(body["errors"])) == ("validation_error", [field])
    assert body["errors"][field][0].startswith(message)


def test_only_staff_who_may_see_orders_read_the_figures(api_client, client_for, shopper, staff):
    staff_without = UserFactory(is_staff=True)  # staff, but the admin would not show them orders
    superuser = UserFactory(is_staff=True, is_superuser=True)
    lone_permission = UserFactory(is_staff=False)
    lone_permission.user_permissions.add(Permission.objects.get(codename="view_order"))

    assert api_client.get(URL).status_code == 401
    assert api_client.get(URL)["WWW-Authenticate"].startswith("Bearer")
    assert client_for(shopper).get(URL).status_code == 403
    assert client_for(staff_without).get(URL).status_code == 403
    assert client_for(lone_permission).get(URL).status_code == 403  # not staff
    assert client_for(staff).get(URL).status_code == 200
    assert client_for(superuser).get(URL).status_code == 200


@pytest.mark.parametrize("rolled_up", [False, True], ids=["live", "rolled-up"])
def test_the_query_count_does_not_grow_with_the_orders(staff_client, at, django_assert_max_num_queries, rolled_up):
    first = days.today() - 364 * ONE_DAY
    products = [ProductFactory(stock=100) for _ in range(3)]
    query = {"from": first.isoformat(), "to": days.today().isoformat()}

    def place(count: int) -> None:
        for n in range(count):
            sale(at(first + n * 40 * ONE_DAY, 12), (products[n % 3], 1 + n % 2))
        sale(at(days.today(), 0, 1), (products[0], 1))
        if rolled_up:  # all of it again: orders placed in the past are not what a refresh looks for
            DailySales.objects.all().delete()
            daily_sales_refresh()

    place(1)
    with django_assert_max_num_queries(20) as few:
        assert staff_client.get(URL, query).status_code == 200
    place(9)
    with django_assert_max_num_queries(len(few)):
        response = staff_client.get(URL, query)
    assert response.json()["totals"]["orders"] == 12
