"""What `make bench` reports: wrk's summary line parsed, the checks, the table, the JSON file."""

import json

RESULT_PREFIX = "BENCH_RESULT "


def parse_wrk(stdout: str, stderr: str, returncode: int) -> dict:
    """The figures of one wrk run, from the line bench/lua/common.lua's done() prints."""
    line = next((line for line in stdout.splitlines() if line.startswith(RESULT_PREFIX)), None)
    if returncode != 0 or line is None:
        raise RuntimeError(f"wrk failed ({returncode}):\n{stdout}\n{stderr}")
    raw = json.loads(line.removeprefix(RESULT_PREFIX))
    seconds = raw["duration_us"] / 1e6
    return {
        "requests": raw["requests"],
        "rps": round(raw["requests"] / seconds, 1),
        "p50_ms": round(raw["p50_us"] / 1000, 2),
        "p99_ms": round(raw["p99_us"] / 1000, 2),
        "max_ms": round(raw["max_us"] / 1000, 2),
        "errors": raw["non2xx"] + sum(raw["socket_errors"].values()),
        "non2xx": raw["statuses"],
        "socket_errors": raw["socket_errors"],
        "ran_out_of_buyers": raw["exhausted"],
    }


def checkout_check(stock_before: dict | None, stock_after: dict, ordered: dict, orders: int) -> dict:
    """Stock taken must equal units ordered, product by product, and no stock may be below zero."""
    if stock_before is None:
        return {}
    taken = {pk: stock_before[pk] - stock for pk, stock in stock_after.items() if pk in stock_before}
    mismatched = sorted(pk for pk in taken.keys() | ordered.keys() if taken.get(pk, 0) != ordered.get(pk, 0))
    negative = sorted(pk for pk, stock in stock_after.items() if stock < 0)
    return {
        "orders_placed": orders,
        "units_ordered": sum(ordered.values()),
        "units_taken": sum(taken.values()),
        "oversold_units": sum(-stock_after[pk] for pk in negative),
        "products_below_zero": negative[:20],
        "products_taken_not_ordered": mismatched[:20],
        "ok": not negative and not mismatched,
    }


def table(results: dict) -> str:
    rows = results["scenarios"]
    ceiling = next((row["rps"] for row in rows if row["scenario"] == "healthz"), None)
    header = f"{'scenario':<27} {'req/s':>9} {'p50 ms':>8} {'p99 ms':>8} {'errors':>7} {'x healthz':>10}"
    lines = [header, "-" * len(header)]
    for row in rows:
        ratio = f"{row['rps'] / ceiling:.2f}" if ceiling else "-"
        lines.append(
            f"{row['scenario']:<27} {row['rps']:>9,.0f} {row['p50_ms']:>8.1f} {row['p99_ms']:>8.1f} "
            f"{row['errors']:>7,} {ratio:>10}"
        )
    lines += [f"  {row['scenario']}: {error_detail(row)}" for row in rows if row["errors"]]
    settings = results["settings"]
    lines.append(
        f"\n{settings['products']:,} products, {settings['workers']} {settings['worker_class']} workers, "
        f"wrk -t{settings['threads']} -c{settings['connections']}, {settings['warmup']} s warm-up (search "
        f"{settings['search_warmup']} s) + {settings['duration']} s per scenario; the webhook a burst of "
        f"{settings['webhook_requests']:,} events"
    )
    during = [row["other_work_cpu"]["during"] for row in rows]
    lines.append(
        "CPU taken by other work during each timed run (%): "
        + ", ".join(f"{percent:.0f}" for percent in during)
        + ("  <- figures skewed" if max(during) > 10 else "")
    )
    checkout = results["checkout"]
    if checkout:
        verdict = "ok" if checkout["ok"] else "FAILED"
        lines.append(
            f"checkout {verdict}: {checkout['orders_placed']:,} orders, {checkout['units_ordered']:,} units ordered, "
            f"{checkout['units_taken']:,} taken, {checkout['oversold_units']} oversold, "
            f"{len(checkout['products_below_zero'])} products below zero"
        )
    lines += [emails_line(row["emails"]) for row in rows if "emails" in row]
    lines += [webhook_line(row["webhook"], row["requests"]) for row in rows if "webhook" in row]
    rss = ", ".join(f"{mb:.0f}" for mb in results["rss_mb"].values())
    restarts = ", ".join(f"{row['workers_restarted']}" for row in rows)
    lines.append(f"worker RSS after the run (MB): {rss}; workers restarted in each scenario: {restarts}")
    lines.append("setup seconds: " + ", ".join(f"{step} {seconds}" for step, seconds in settings["seconds"].items()))
    return "\n".join(lines)


def emails_line(emails: dict) -> str:
    unsent = emails["unsent"]
    sent = f"{unsent:,} unsent when the wait timed out" if unsent else f"all sent {emails['seconds_after_run']} s"
    return (
        f"order e-mails: {emails['emails']:,}, {sent} after the timed run; "
        f"the worker sent {emails['sent_per_s']:,.0f}/s over the scenario"
    )


def webhook_line(hook: dict, requests: int) -> str:
    verdict = "ok" if hook["ok"] else f"FAILED (each count below should be {hook['events']:,}, refunds 0)"
    return (
        f"webhook {verdict}: {requests:,} requests answered for {hook['events']:,} events; "
        f"{hook['events_stored']:,} stored, {hook['events_applied']:,} applied, the last "
        f"{hook['applied_seconds_after_burst']} s after the burst (the worker applied {hook['applied_per_s']:,.0f}/s)\n"
        f"  {hook['orders_paid']:,} orders paid, {hook['payments_succeeded']:,} payments succeeded, "
        f"{hook['refunds']} refunds; {hook['payment_emails']:,} payment e-mails for {hook['orders_emailed']:,} "
        f"orders, {hook['payment_emails_sent']:,} sent, the last {hook['sent_seconds_after_burst']} s after the burst"
    )


def failures(results: dict) -> list[str]:
    """What the checks found wrong, a line each: the run then exits non-zero."""
    failed = []
    if results["checkout"] and not results["checkout"]["ok"]:
        failed.append("checkout oversold, or took stock it did not order")
    if any(not row["webhook"]["ok"] for row in results["scenarios"] if "webhook" in row):
        failed.append("webhook events lost or applied twice, or not all applied within the wait")
    return failed


def error_detail(row: dict) -> str:
    parts = [f"HTTP {status} x{count}" for status, count in sorted(row["non2xx"].items())]
    parts += [f"{kind} x{count}" for kind, count in row["socket_errors"].items() if count]
    if row["ran_out_of_buyers"]:
        parts.append(f"ran out of buyers x{row['ran_out_of_buyers']} (raise BENCH_ORDER_RATE)")
    return ", ".join(parts)
