"""The Stripe webhook scenario: a burst of signed events, each sent once, then what the worker made of them.

Not wrk: a burst is a fixed set of requests, and wrk cannot stop once it has sent them. It runs out its -d,
and after each answer (a sync worker closes every connection) it reconnects and asks for a request: a
connection it then leaves idle holds a sync gunicorn worker until wrk exits. So this client sends them: as
many threads as wrk has connections, each sending its share of the requests one at a time, each on a new
connection, as wrk does to sync workers.
"""

import hashlib
import hmac
import json
import random
import socket
import statistics
import time
import urllib.parse
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime
from functools import partial
from pathlib import Path

import psycopg

PATH = "/api/payments/stripe/webhook"
REPEATED = 5  # one request in REPEATED repeats another's event, as Stripe's retries do
TIMEOUT = 10  # seconds for an answer, as wrk's --timeout
# seconds after the burst for the worker to apply every event and send its e-mail: one process applies
# ~40 events/s and sends their e-mails, so the last of 4,000 goes out ~100 s after a 30 s burst
APPLIED_TIMEOUT = 300

# one snapshot: the events, and each transition an applied payment_intent.succeeded makes, counted
CHECK_SQL = """
SELECT
    (SELECT count(*) FROM payments_stripeevent),
    (SELECT count(processed_at) FROM payments_stripeevent),
    (SELECT min(received_at) FROM payments_stripeevent),
    (SELECT max(processed_at) FROM payments_stripeevent),
    (SELECT count(*) FROM orders_order WHERE status = 'paid' AND payment_status = 'paid'),
    (SELECT count(*) FROM payments_payment WHERE status = 'succeeded'),
    (SELECT count(*) FROM payments_refund),
    count(*),
    count(DISTINCT context #>> '{order,number}'),
    count(sent_at),
    max(sent_at)
FROM outbox_email WHERE template = 'emails/order_paid'
"""


def signed_requests(intents: Path, secret: str, requests: int) -> tuple[list[tuple[bytes, str]], int]:
    """Bodies and Stripe-Signature headers, shuffled: a payment_intent.succeeded event for each intent in
    `intents` (an id and its amount in cents a line), and exact repeats of some (same body, same signature)
    up to `requests`. Signed now: a signature over 300 seconds old is refused. Also returns how many events."""
    signed_at = int(time.time())
    events = []
    for n, line in enumerate(intents.read_text().splitlines(), 1):
        intent_id, amount = line.split()
        intent = {"id": intent_id, "object": "payment_intent", "amount": int(amount), "currency": "usd"}
        event = {"id": f"evt_bench_{n:06d}", "object": "event", "type": "payment_intent.succeeded"}
        body = json.dumps({**event, "data": {"object": {**intent, "status": "succeeded"}}}).encode()
        digest = hmac.new(secret.encode(), f"{signed_at}.".encode() + body, hashlib.sha256).hexdigest()
        events.append((body, f"t={signed_at},v1={digest}"))
    rng = random.Random(7)
    burst = events + rng.sample(events, requests - len(events))
    rng.shuffle(burst)
    return burst, len(events)


def burst(url: str, requests: list[tuple[bytes, str]], connections: int) -> dict:
    """Send each request once; the figures wrk's runs give (report.parse_wrk)."""
    address = urllib.parse.urlsplit(url)
    raw = [_http_request(address.netloc, body, signature) for body, signature in requests]
    send = partial(_send, (address.hostname, address.port))
    started = time.monotonic()
    with ThreadPoolExecutor(connections) as pool:
        shares = pool.map(send, (raw[i::connections] for i in range(connections)))
        answers = [answer for share in shares for answer in share]
    seconds = time.monotonic() - started
    latencies = [latency for latency, status in answers if isinstance(status, int)]
    non2xx = Counter(str(status) for _, status in answers if isinstance(status, int) and not 200 <= status < 300)
    socket_errors = Counter(status for _, status in answers if isinstance(status, str))
    p50, p99 = (statistics.quantiles(latencies, n=100)[i] for i in (49, 98)) if len(latencies) > 1 else (0, 0)
    return {
        "requests": len(latencies),
        "rps": round(len(latencies) / seconds, 1),
        "p50_ms": round(p50 * 1000, 2),
        "p99_ms": round(p99 * 1000, 2),
        "max_ms": round(max(latencies, default=0) * 1000, 2),
        "errors": non2xx.total() + socket_errors.total(),
        "non2xx": dict(non2xx),
        "socket_errors": dict(socket_errors),
        "ran_out_of_buyers": 0,
        "seconds": round(seconds, 2),
    }


def _http_request(host: str, body: bytes, signature: str) -> bytes:
    # Connection: close, as a sync worker answers anyway: the answer then ends where the connection does
    head = (
        f"POST {PATH} HTTP/1.1\r\nHost: {host}\r\nContent-Type: application/json\r\nStripe-Signature: {signature}\r\n"
        f"Content-Length: {len(body)}\r\nConnection: close\r\n\r\n"
    )
    return head.encode() + body


def _send(address: tuple[str, int], requests: list[bytes]) -> list[tuple[float, int | str]]:
    """One connection's share, in turn: (seconds, HTTP status or the socket error) for each. Raw sockets, as
    the client shares the CPUs with the server: http.client costs several times their CPU a request."""
    answers = []
    for request in requests:
        started = time.monotonic()
        try:
            with socket.create_connection(address, timeout=TIMEOUT) as connection:
                connection.sendall(request)
                answer = b"".join(iter(partial(connection.recv, 65536), b""))
            answers.append((time.monotonic() - started, int(answer[9:12])))  # HTTP/1.1 200 OK
        except TimeoutError:
            answers.append((time.monotonic() - started, "timeout"))
        except (OSError, ValueError):  # ValueError: closed before a status line
            answers.append((time.monotonic() - started, "read"))
    return answers


def events_applied(database_url: str, events: int, burst_ended: datetime) -> dict:
    """Wait for the worker to apply every stored event and send every e-mail, then count: each of the
    `events` stored once and applied once (its order paid, its payment succeeded, one e-mail), none lost."""
    deadline = time.monotonic() + APPLIED_TIMEOUT
    with psycopg.connect(database_url, autocommit=True) as connection:
        while time.monotonic() < deadline:
            sql = """SELECT (SELECT count(*) FROM payments_stripeevent WHERE processed_at IS NULL),
                            (SELECT count(*) FROM outbox_email WHERE sent_at IS NULL)"""
            if connection.execute(sql).fetchone() == (0, 0):
                break
            time.sleep(0.5)
        row = connection.execute(CHECK_SQL).fetchone()
    stored, applied, first_received, last_applied, paid, succeeded, refunds, emails, emailed, sent, last_sent = row
    counts = {
        "events_stored": stored,
        "events_applied": applied,
        "orders_paid": paid,
        "payments_succeeded": succeeded,
        "payment_emails": emails,
        "orders_emailed": emailed,
        "payment_emails_sent": sent,
    }
    return {
        "events": events,
        **counts,
        "refunds": refunds,
        "applied_seconds_after_burst": _seconds_after(burst_ended, last_applied),
        "sent_seconds_after_burst": _seconds_after(burst_ended, last_sent),
        "applied_per_s": round(applied / (last_applied - first_received).total_seconds(), 1) if applied else 0,
        "ok": set(counts.values()) == {events} and refunds == 0,
    }


def _seconds_after(start: datetime, moment: datetime | None) -> float | None:
    return None if moment is None else round(max(0.0, (moment - start).total_seconds()), 1)
