"""A real browser for e2e/: Debian's Chromium, headless, driven by Playwright's sync API against
pytest-django's live server. A failing test leaves test-results/<test name>.png behind."""

import os
from pathlib import Path

import pytest
from playwright.sync_api import sync_playwright

# Playwright's sync API keeps an asyncio loop on this thread, so Django takes the test's own ORM
# calls (factories, checks) for calls from async code and refuses them without this.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

# the binary itself: /usr/bin/chromium is Debian's shell wrapper, which adds extensions and API keys
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/lib/chromium/chromium")
# a closed network: nothing to update, sync or ping; Playwright adds --headless and --no-sandbox
CHROMIUM_ARGS = [
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
    "--disable-gpu",
]


@pytest.fixture(scope="session")
def playwright():
    with sync_playwright() as playwright:
        yield playwright


@pytest.fixture(scope="session")
def browser(playwright):
    browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
    yield browser
    browser.close()


@pytest.fixture
def page(browser, live_server):
    """A fresh browser profile on the live server: relative URLs go to it."""
    context = browser.new_context(base_url=live_server.url, viewport={"width": 1440, "height": 900})
    context.set_default_timeout(10_000)
    yield context.new_page()
    context.close()


@pytest.fixture
def http(playwright, live_server):
    """Plain HTTP to the live server, sharing nothing with the browser's cookies."""
    context = playwright.request.new_context(base_url=live_server.url)
    yield context
    context.dispose()


def _results_dir(config: pytest.Config) -> Path:
    """test-results/ at the project root (git-ignored): screenshots for people to look at."""
    path = config.rootpath / "test-results"
    path.mkdir(exist_ok=True)
    return path


@pytest.fixture
def results_dir(request) -> Path:
    return _results_dir(request.config)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    report = yield
    page = item.funcargs.get("page") if hasattr(item, "funcargs") else None
    if report.when == "call" and report.failed and page is not None and not page.is_closed():
        path = _results_dir(item.config) / f"{item.name}.png"
        page.screenshot(path=path, full_page=True)
        report.sections.append(("screenshot", f"{path} ({page.url})"))
    return report
