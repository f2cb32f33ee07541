"""localstripe, a fake Stripe server, for the payments tests: started once on a loopback port of its own,
emptied before each test, its webhooks sent to the test's live server."""

import hashlib
import hmac
import json
import subprocess
import sys
import time
import urllib.parse
import urllib.request

import pytest
import stripe

from luxyhome.tests.servers import free_port, port_open, wait_for

SECRET_KEY = "sk_test_luxyhome"
WEBHOOK_SECRET = "whsec_luxyhome_tests"
# its command line listens on every interface: its app is served on the loopback only
SERVE = (
    "import sys; from aiohttp import web; from localstripe.server import app; "
    "web.run_app(app, host='127.0.0.1', port=int(sys.argv[1]))"
)


@pytest.fixture(scope="session")
def localstripe(tmp_path_factory):
    """The base URL of a localstripe on a free loopback port, for the whole run."""
    port = free_port()
    folder = tmp_path_factory.mktemp("localstripe")
    with open(folder / "server.log", "wb") as log:
        process = subprocess.Popen([sys.executable, "-c", SERVE, str(port)], cwd=folder, stdout=log, stderr=log)
    try:
        wait_for(lambda: process.poll() is not None or port_open(port), timeout=20, what="localstripe")
        if process.poll() is not None:
            raise RuntimeError(f"localstripe exited: {(folder / 'server.log').read_text()}")
        yield f"http://127.0.0.1:{port}"
    finally:
        process.terminate()
        process.wait(timeout=10)


def configure(base: str, method: str, path: str, data: dict | None = None) -> None:
    body = urllib.parse.urlencode(data).encode() if data else None
    urllib.request.urlopen(urllib.request.Request(base + path, data=body, method=method), timeout=10).close()


@pytest.fixture
def stripe_shop(settings, localstripe):
    """The shop's Stripe settings pointed at an empty localstripe; returns a Stripe client for the test's
    own calls (as Stripe.js in the shopper's browser, or as Stripe's dashboard)."""
    configure(localstripe, "DELETE", "/_config/data")
    # no webhooks unless the test asks for them (stripe_webhooks): they go nowhere
    configure(
        localstripe,
        "POST",
        "/_config/webhooks/luxyhome",
        {"url": f"http://127.0.0.1:{free_port()}/", "secret": WEBHOOK_SECRET},
    )
    settings.STRIPE_SECRET_KEY = SECRET_KEY
    settings.STRIPE_PUBLISHABLE_KEY = "pk_test_luxyhome"
    settings.STRIPE_WEBHOOK_SECRET = WEBHOOK_SECRET
    settings.STRIPE_API_BASE = localstripe
    return stripe.StripeClient(SECRET_KEY, base_addresses={"api": localstripe}, max_network_retries=0)


@pytest.fixture
def stripe_webhooks(stripe_shop, localstripe, live_server):
    """localstripe sends its (signed) events to the live server's webhook."""
    url = f"{live_server.url}/api/payments/stripe/webhook"
    configure(localstripe, "POST", "/_config/webhooks/luxyhome", {"url": url, "secret": WEBHOOK_SECRET})
    return live_server


def signed(event: dict, *, secret: str = WEBHOOK_SECRET, at: float | None = None) -> tuple[bytes, str]:
    """An event's body and its Stripe-Signature header, signed as Stripe signs (t=…,v1=HMAC-SHA256)."""
    body = json.dumps(event).encode()
    timestamp = int(time.time() if at is None else at)
    signature = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256).hexdigest()
    return body, f"t={timestamp},v1={signature}"


def intent_event(event_id: str, kind: str, intent: dict) -> dict:
    return {"id": event_id, "object": "event", "type": f"payment_intent.{kind}", "data": {"object": intent}}


@pytest.fixture
def post_event(client, committed):
    """post_event(event, **signing): posts the signed event to the webhook as Stripe would; the tasks
    it sends on commit run (in-process) before it returns."""

    def post(event: dict, **signing):
        body, signature = signed(event, **signing)
        with committed():
            return client.post(
                "/api/payments/stripe/webhook", body, content_type="application/json", HTTP_STRIPE_SIGNATURE=signature
            )

    return post
