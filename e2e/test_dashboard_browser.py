"""The sales dashboard in a real browser: a staff member who handles orders signs in to the admin and
sees both charts drawn by the vendored Chart.js, from this server alone, under the admin's
Content-Security-Policy, with no error; then picks another period and downloads its days as CSV."""

from datetime import datetime, time, timedelta
from decimal import Decimal
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.contrib.auth.models import Permission
from django.utils import timezone
from playwright.sync_api import ConsoleMessage, Page, expect

from accounts.tests.factories import UserFactory
from catalog.tests.factories import ProductFactory
from e2e.test_admin_browser import sign_in
from orders.models import Order
from orders.services import order_status_change
from orders.tests.factories import place_order

# the live server answers from its own thread: the test's rows must be committed to be seen
pytestmark = pytest.mark.django_db(transaction=True)

CHARTS = ["sales-revenue-chart", "sales-orders-chart"]

# Registered before any page script runs (Playwright's init scripts are not subject to the page's CSP):
# every violation the policy reports, kept for the test to read.
RECORD_CSP_VIOLATIONS = """
window.cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) =>
    window.cspViolations.push(`${event.violatedDirective} ${event.blockedURI}`));
"""

# The share of a canvas's pixels that are not transparent: a drawn chart has axes, bars and a line.
INKED_SHARE = """
(id) => {
    const canvas = document.getElementById(id);
    const pixels = canvas.getContext("2d").getImageData(0, 0, canvas.width, canvas.height).data;
    let inked = 0;
    for (let alpha = 3; alpha < pixels.length; alpha += 4) {
        if (pixels[alpha] > 0) inked++;
    }
    return inked / (pixels.length / 4);
}
"""


@pytest.fixture
def order_handler(db):
    """Staff who handle orders and the catalog, without being superusers."""
    user = UserFactory(email="orders@luxyhome.example", is_staff=True)
    user.user_permissions.set(Permission.objects.filter(content_type__app_label__in=["catalog", "orders"]))
    return user


@pytest.fixture
def sales(db):
    """Paid orders on several of the last days: a line of revenue and bars of orders to draw."""
    for days, price in [(0, "4200.00"), (2, "1890.50"), (2, "640.00"), (5, "980.00"), (12, "2450.00")]:
        order = place_order(None, (ProductFactory(price=Decimal(price), stock=3), 1))
        order_status_change(order=order, status=Order.Status.PAID)
        if days:
            placed = datetime.combine(timezone.localdate() - timedelta(days=days), time(12))
            Order.objects.filter(pk=order.pk).update(created_at=timezone.make_aware(placed))


def _is_error(message: ConsoleMessage) -> bool:
    # the browser asks for /favicon.ico on its own, and the admin has none: no error of the page's
    return message.type == "error" and not message.location["url"].endswith("/favicon.ico")


@pytest.fixture
def watched(page: Page):
    """The page, with what it asked the network for, its console errors and its CSP violations."""
    seen = {"requests": [], "errors": []}
    page.on("request", lambda request: seen["requests"].append(request.url))
    page.on("console", lambda message: _is_error(message) and seen["errors"].append(message.text))
    page.on("pageerror", lambda error: seen["errors"].append(str(error)))
    page.add_init_script(RECORD_CSP_VIOLATIONS)
    return seen


def expect_charts_drawn(page: Page) -> None:
    for chart in CHARTS:
        page.wait_for_function("id => window.Chart && Chart.getChart(id) !== undefined", arg=chart)
        assert page.evaluate(INKED_SHARE, chart) > 0.01, f"{chart} is blank"


def test_dashboard_draws_its_charts_from_this_server_alone(
    page, watched, order_handler, sales, live_server, results_dir
):
    sign_in(page, order_handler)

    expect(page.locator("#sales")).to_be_visible()
    expect(page.locator(".sales-total", has_text="Orders").locator(".sales-value")).to_have_text("5")
    expect(page.locator(".sales-total", has_text="Revenue").locator(".sales-value")).to_have_text("USD 10,160.50")
    expect_charts_drawn(page)
    revenue = page.evaluate('Chart.getChart("sales-revenue-chart").data.datasets[0].data')
    orders = page.evaluate('Chart.getChart("sales-orders-chart").data.datasets[0].data')
    assert len(revenue) == len(orders) == 30
    assert (revenue[-1], revenue[-3], orders[-3]) == (4200, 2530.5, 2)
    # the ordinary index is still there below the dashboard
    expect(page.locator("#orders-order").get_by_role("link", name="Orders", exact=True)).to_be_visible()
    page.screenshot(path=results_dir / "admin-dashboard.png", full_page=True)

    # another period through the picker: the charts are drawn again for its days
    first = timezone.localdate() - timedelta(days=6)
    page.get_by_label("From", exact=True).fill(first.isoformat())
    page.get_by_label("to", exact=True).fill(timezone.localdate().isoformat())
    page.get_by_role("button", name="Show").click()
    expect(page).to_have_url(f"{live_server.url}/admin/?from={first.isoformat()}&to={timezone.localdate().isoformat()}")
    expect_charts_drawn(page)
    assert len(page.evaluate('Chart.getChart("sales-orders-chart").data.labels')) == 7
    expect(page.locator(".sales-total", has_text="Orders").locator(".sales-value")).to_have_text("4")

    with page.expect_download() as download:
        page.get_by_role("link", name="Download the days as CSV").click()
    assert download.value.suggested_filename == (
        f"luxyhome-sales-{first.isoformat()}-to-{timezone.localdate().isoformat()}.csv"
    )
    lines = Path(download.value.path()).read_text().splitlines()
    assert lines[0] == "date,orders,revenue,average_order_value,currency"
    assert len(lines) == 8

    assert watched["errors"] == []
    assert page.evaluate("window.cspViolations") == []
    server = urlsplit(live_server.url)
    assert server.hostname in ("localhost", "127.0.0.1")
    assert {urlsplit(url).netloc for url in watched["requests"]} == {server.netloc}


def test_dashboard_refused_period_is_explained_in_the_browser(page, watched, order_handler, sales):
    sign_in(page, order_handler)
    page.get_by_label("From", exact=True).fill("2026-03-10")
    page.get_by_label("to", exact=True).fill("2026-03-01")
    page.get_by_role("button", name="Show").click()

    expect(page.locator(".errornote")).to_contain_text("That period cannot be shown")
    expect_charts_drawn(page)  # the last 30 days instead
    assert watched["errors"] == []
    assert page.evaluate("window.cspViolations") == []
