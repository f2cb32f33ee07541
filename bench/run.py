"""`make bench`: the production configuration under wrk, one scenario after another.

Makes its own PostgreSQL database and Redis db, seeds the catalog and the shoppers, serves with
gunicorn (gunicorn.conf.py, DJANGO_ENV=production) on a loopback port, drives each scenario with
a warm-up and a timed wrk run, checks checkout did not oversell and times the Celery worker sending the
orders' e-mails; last, a burst of signed Stripe webhook events (bench/webhook.py), checked for events lost
or applied twice. Then prints a table and writes bench/results/<UTC timestamp>.json, and exits non-zero if
a check failed. bench/README.md lists the knobs.
"""

import functools
import json
import os
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import psycopg
import redis
import report
import webhook
from machine import OtherWork, Own, wait_for_quiet
from server import Server, Worker, free_port

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
BIN = Path(sys.executable).parent
SEED_WORDS_FILE = "words.txt"
# One process sends the e-mails: gunicorn, PostgreSQL, Redis and wrk keep both CPUs busy during the timed
# run, and a second one would take more of them from checkout.
CELERY_CONCURRENCY = 1
EMAILS_TIMEOUT = 120  # seconds after the timed run for the last order e-mail to be sent


@dataclass
class Config:
    products: int = field(default_factory=lambda: int(os.environ.get("BENCH_PRODUCTS", "10000")))
    workers: int = field(default_factory=lambda: int(os.environ.get("BENCH_WORKERS", "2")))
    worker_class: str = field(default_factory=lambda: os.environ.get("GUNICORN_WORKER_CLASS", "sync"))
    duration: int = field(default_factory=lambda: int(os.environ.get("BENCH_DURATION", "15")))
    warmup: int = field(default_factory=lambda: int(os.environ.get("BENCH_WARMUP", "5")))
    # the searches' products' answers are cached once built (catalog/cache.py): the warm-up runs until
    # they are, as they are on a shop under load; after 5 s a tenth of the pages still built some
    search_warmup: int = field(default_factory=lambda: int(os.environ.get("BENCH_SEARCH_WARMUP", "15")))
    threads: int = field(default_factory=lambda: int(os.environ.get("BENCH_THREADS", "2")))
    connections: int = field(default_factory=lambda: int(os.environ.get("BENCH_CONNECTIONS", "16")))
    shoppers: int = field(default_factory=lambda: int(os.environ.get("BENCH_SHOPPERS", "400")))
    order_rate: int = field(default_factory=lambda: int(os.environ.get("BENCH_ORDER_RATE", "400")))
    webhook_requests: int = field(default_factory=lambda: int(os.environ.get("BENCH_WEBHOOK_EVENTS", "5000")))
    port: int = field(default_factory=lambda: int(os.environ.get("BENCH_PORT", "0")) or free_port())
    database_server: str = field(
        default_factory=lambda: os.environ.get("BENCH_DATABASE_SERVER", "postgres://postgres@127.0.0.1:5432")
    )
    database: str = "luxyhome_bench"
    redis_url: str = field(default_factory=lambda: os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/14"))
    clients: int = field(default_factory=lambda: int(os.environ.get("BENCH_CLIENTS", "1000")))
    gunicorn_args: str = field(default_factory=lambda: os.environ.get("BENCH_GUNICORN_ARGS", ""))
    quiet_wait: int = field(default_factory=lambda: int(os.environ.get("BENCH_QUIET_WAIT", "30")))
    keep: bool = field(default_factory=lambda: os.environ.get("BENCH_KEEP", "") not in ("", "0", "false"))

    @property
    def order_buyers(self) -> tuple[int, int]:
        """Buyers with a ready cart for the warm-up and for the timed run of the order scenario."""
        return self.warmup * self.order_rate, self.duration * self.order_rate

    @property
    def webhook_events(self) -> int:
        """Distinct events in the webhook's burst, one per order awaiting payment; the rest are repeats."""
        return self.webhook_requests - self.webhook_requests // webhook.REPEATED


@dataclass
class Scenario:
    name: str
    script: str
    path: str
    env: dict[str, str] = field(default_factory=dict)
    warmup: int | None = None  # seconds; None: Config.warmup


def server_env(config: Config, work: Path) -> dict[str, str]:
    """The production settings, with throwaway secrets, and throttles far above the load: they count every
    request, but refusing requests is not what is measured."""
    return {
        **os.environ,
        "DJANGO_ENV": "production",
        "SECRET_KEY": f"bench-{secrets.token_urlsafe(48)}",
        "JWT_SIGNING_KEY": secrets.token_urlsafe(64),
        "ALLOWED_HOSTS": "127.0.0.1",
        "CORS_ALLOWED_ORIGINS": "https://www.luxyhome.example",
        "SECURE_SSL_REDIRECT": "false",
        "DATABASE_URL": f"{config.database_server}/{config.database}",
        "REDIS_URL": config.redis_url,
        "CELERY_BROKER_URL": config.redis_url,  # the bench's own Redis db, whatever the shell has set
        # wrk plays the load balancer: each request names one of BENCH_CLIENTS client addresses
        "TRUSTED_PROXY_COUNT": "1",
        "THROTTLE_ANON": "10000000/min",
        "THROTTLE_USER": "10000000/min",
        "ACCESS_TOKEN_MINUTES": "120",  # the tokens are made before the server starts
        # paying an order calls Stripe, which no scenario does: applying a webhook event does not
        "STRIPE_SECRET_KEY": "sk_test_bench",
        "STRIPE_WEBHOOK_SECRET": f"whsec_{secrets.token_urlsafe(32)}",
        # the worker writes each e-mail to a file; environ drops the path's first slash, hence four
        "EMAIL_URL": f"filemail:///{work / 'mail'}",
        "MEDIA_ROOT": str(work / "media"),
        "GUNICORN_BIND": f"127.0.0.1:{config.port}",
        "WEB_CONCURRENCY": str(config.workers),
        "GUNICORN_WORKER_CLASS": config.worker_class,
    }


def recreate_database(config: Config, *, create: bool = True) -> None:
    with psycopg.connect(f"{config.database_server}/postgres", autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{config.database}" WITH (FORCE)')
        if create:
            connection.execute(f'CREATE DATABASE "{config.database}"')


def query(config: Config, sql: str) -> list[tuple]:
    with psycopg.connect(f"{config.database_server}/{config.database}") as connection:
        cursor = connection.execute(sql)
        return cursor.fetchall() if cursor.description else []


def run_timed(label: str, command: list[str], env: dict[str, str], timings: dict[str, float]) -> str:
    started = time.monotonic()
    print(f"--- {label}", flush=True)
    done = subprocess.run(command, cwd=ROOT, env=env, check=True, stdout=subprocess.PIPE, text=True)
    timings[label] = round(time.monotonic() - started, 1)
    return done.stdout


def wrk(config: Config, server: Server, scenario: Scenario, seconds: int, extra_env: dict[str, str]) -> dict:
    command = [
        "wrk",
        f"-t{config.threads}",
        f"-c{config.connections}",
        f"-d{seconds}s",
        "--timeout",
        "10s",  # a slow answer counts in the latencies rather than as a socket error
        "-s",
        str(BENCH / "lua" / scenario.script),
        f"{server.url}{scenario.path}",
    ]
    env = {
        **os.environ,
        "BENCH_LUA_DIR": str(BENCH / "lua"),
        "BENCH_THREADS": str(config.threads),
        "BENCH_CLIENTS": str(config.clients),
    }
    done = subprocess.run(
        command, env={**env, **scenario.env, **extra_env}, capture_output=True, text=True, timeout=seconds + 120
    )
    return report.parse_wrk(done.stdout, done.stderr, done.returncode)


def scenarios(config: Config, work: Path) -> list[Scenario]:
    details = " ".join(f"/api/products/{pk}" for pk in (work / "products.ids").read_text().split()[:8])
    tokens, products = str(work / "shoppers.tokens"), str(work / "products.ids")
    return [
        Scenario("healthz", "paths.lua", "/healthz", {"BENCH_PATHS": "/healthz"}),
        Scenario("product list (cached)", "paths.lua", "/", {"BENCH_PATHS": "/api/products?page=1"}),
        Scenario("product detail (cached)", "paths.lua", "/", {"BENCH_PATHS": details}),
        Scenario(
            "product search (uncached)",
            "search.lua",
            "/",
            {"BENCH_WORDS_FILE": str(work / SEED_WORDS_FILE)},
            warmup=config.search_warmup,
        ),
        Scenario("cart read", "cart_read.lua", "/", {"BENCH_TOKENS_FILE": tokens}),
        Scenario("cart add", "cart_add.lua", "/", {"BENCH_TOKENS_FILE": tokens, "BENCH_PRODUCTS_FILE": products}),
        Scenario("order placement", "order.lua", "/", {"BENCH_TOKENS_FILE": str(work / "buyers.tokens")}),
    ]


def own_processes(config: Config, server: Server, worker: Worker | None) -> Own:
    backends = query(config, f"SELECT pid FROM pg_stat_activity WHERE datname = '{config.database}'")
    redis_pid = redis.Redis.from_url(config.redis_url).info("server")["process_id"]
    celery = worker.pids() if worker else []
    # this process too: it is the webhook scenario's client
    return Own(gunicorn=server.pids(), others=[os.getpid(), redis_pid, *celery, *(pid for (pid,) in backends)])


def run_scenario(config: Config, server: Server, worker: Worker | None, scenario: Scenario) -> dict:
    """A warm-up run, then the timed one. Search queries and buyers never repeat between the two."""
    ours = functools.partial(own_processes, config, server, worker)
    warm_env, timed_env = {"BENCH_SEQUENCE_START": "0"}, {"BENCH_SEQUENCE_START": "150000"}
    if scenario.script == "order.lua":
        warm, timed = config.order_buyers
        warm_env = {"BENCH_TOKEN_FIRST": "1", "BENCH_TOKEN_COUNT": str(warm)}
        timed_env = {"BENCH_TOKEN_FIRST": str(warm + 1), "BENCH_TOKEN_COUNT": str(timed)}
    warmup = config.warmup if scenario.warmup is None else scenario.warmup
    other_before = wait_for_quiet(ours, config.quiet_wait)
    print(f"--- {scenario.name}: {warmup} s warm-up, {config.duration} s timed", flush=True)
    boots = server.worker_boots()
    warm_up = wrk(config, server, scenario, warmup, warm_env) if warmup else None
    other_work = OtherWork(ours)
    result = wrk(config, server, scenario, config.duration, timed_env)
    ended = datetime.now(UTC)
    # % of the machine's CPU that other work took: while the server idled before, and during the timed run
    other_work_cpu = {"before": other_before, "during": other_work.percent()}
    if scenario.script == "order.lua":
        result["emails"] = emails_sent(config, ended)
    return {
        "scenario": scenario.name,
        **result,
        "warm_up": warm_up,
        "workers_restarted": server.worker_boots() - boots,  # gunicorn's max_requests recycling
        "other_work_cpu": other_work_cpu,
    }


def run_webhook(config: Config, server: Server, worker: Worker, work: Path, secret: str) -> dict:
    """A burst of signed Stripe events, each request sent once, with the worker applying them; then whether
    every event was applied, once."""
    ours = functools.partial(own_processes, config, server, worker)
    other_before = wait_for_quiet(ours, config.quiet_wait)
    print(f"--- stripe webhook: a burst of {config.webhook_requests:,} events", flush=True)
    boots = server.worker_boots()
    requests, events = webhook.signed_requests(work / "payments.intents", secret, config.webhook_requests)
    other_work = OtherWork(ours)
    result = webhook.burst(f"{server.url}{webhook.PATH}", requests, config.connections)
    ended = datetime.now(UTC)
    other_work_cpu = {"before": other_before, "during": other_work.percent()}
    return {
        "scenario": "stripe webhook",
        **result,
        "webhook": webhook.events_applied(f"{config.database_server}/{config.database}", events, ended),
        "warm_up": None,
        "workers_restarted": server.worker_boots() - boots,
        "other_work_cpu": other_work_cpu,
    }


def emails_sent(config: Config, run_ended: datetime) -> dict:
    """Wait for the worker to send every order's e-mail; when the last went out after the timed run, and
    its pace over the whole scenario, warm-up included."""
    deadline, orders_before = time.monotonic() + EMAILS_TIMEOUT, None
    while time.monotonic() < deadline:
        # gunicorn still places the orders wrk had queued when it stopped: none may come in meanwhile
        sql = "SELECT (SELECT count(*) FROM orders_order), count(*) FROM outbox_email WHERE sent_at IS NULL"
        orders, unsent = query(config, sql)[0]
        if not unsent and orders == orders_before:
            break
        orders_before = orders
        time.sleep(0.5)
    sent, first, last = query(config, "SELECT count(sent_at), min(created_at), max(sent_at) FROM outbox_email")[0]
    return {
        "emails": sent + unsent,
        "unsent": unsent,  # left when the wait timed out
        "seconds_after_run": None if unsent else round(max(0, (last - run_ended).total_seconds()), 1),
        "sent_per_s": round(sent / (last - first).total_seconds(), 1) if sent else 0,
    }


def bench(config: Config, work: Path, env: dict[str, str], timings: dict[str, float]) -> dict:
    manage = [str(BIN / "python"), "manage.py"]
    recreate_database(config)
    redis.Redis.from_url(config.redis_url).flushdb()
    run_timed("collectstatic", [*manage, "collectstatic", "--noinput", "-v0"], env, timings)
    run_timed("migrate", [*manage, "migrate", "--noinput", "-v0"], env, timings)
    print(run_timed("seed", [*manage, "seed_demo", "--products", str(config.products)], env, timings).strip())
    prepare = [str(BIN / "python"), str(BENCH / "prepare.py"), str(work), str(config.shoppers)]
    print(run_timed("shoppers", [*prepare, str(sum(config.order_buyers)), str(config.webhook_events)], env, timings))
    redis.Redis.from_url(config.redis_url).flushdb()  # the server starts with a cold cache
    # what autovacuum does soon after a bulk load: planner statistics, dead rows gone, and the GIN
    # indexes' pending lists merged (until then every search scans them)
    with psycopg.connect(f"{config.database_server}/{config.database}", autocommit=True) as connection:
        connection.execute("VACUUM ANALYZE")
    server, worker = Server(config.port, env, work / "gunicorn.log", config.gunicorn_args), None
    try:
        server.wait_ready()
        load = os.getloadavg()
        results, stock_before, orders_before = [], None, 0
        for scenario in scenarios(config, work):
            if scenario.script == "order.lua":
                stock_before = dict(query(config, "SELECT id, stock FROM catalog_product"))
                orders_before = query(config, "SELECT coalesce(max(id), 0) FROM orders_order")[0][0]
                worker = Worker(env, work / "celery.log", CELERY_CONCURRENCY)
                worker.wait_ready(config.redis_url)
            results.append(run_scenario(config, server, worker, scenario))
        results.append(run_webhook(config, server, worker, work, env["STRIPE_WEBHOOK_SECRET"]))
        return {
            "load_average_before": [round(value, 2) for value in load],
            "scenarios": results,
            "checkout": report.checkout_check(stock_before, *checkout_rows(config, orders_before)),
            "rss_mb": server.worker_rss_mb(),
            "worker_boots": server.worker_boots(),
        }
    except BaseException:
        for process in (server, worker):
            if process:
                print(process.log_tail(), file=sys.stderr)
        raise
    finally:
        server.stop()
        if worker:
            worker.stop()


def checkout_rows(config: Config, orders_before: int) -> tuple[dict, dict, int]:
    """Stock, units ordered per product and orders placed after order `orders_before` (the orders awaiting
    payment that bench/prepare.py made took no stock), from one snapshot: checkouts may still be committing."""
    with psycopg.connect(f"{config.database_server}/{config.database}") as connection:
        connection.isolation_level = psycopg.IsolationLevel.REPEATABLE_READ
        stock = dict(connection.execute("SELECT id, stock FROM catalog_product").fetchall())
        sql = "SELECT product_id, SUM(quantity) FROM orders_orderitem WHERE order_id > %s GROUP BY product_id"
        ordered = dict(connection.execute(sql, (orders_before,)).fetchall())
        placed = connection.execute("SELECT COUNT(*) FROM orders_order WHERE id > %s", (orders_before,)).fetchone()[0]
        return stock, ordered, placed


def install_debian_package(package: str, missing: str) -> None:
    """`package` from Debian's packages, as root directly or through sudo."""
    print(f"--- {missing} is missing: installing Debian's {package}", flush=True)
    sudo = [] if os.geteuid() == 0 else ["sudo", "-n"]
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    subprocess.run([*sudo, "apt-get", "update", "-qq"], check=True, env=env)
    subprocess.run([*sudo, "apt-get", "install", "-y", "-qq", package], check=True, env=env)


def run_measured(config: Config, measure, *, prefix: str, env: dict[str, str] | None = None) -> tuple[dict, dict]:
    """`measure(config, work, env, timings)` in a work dir of its own, with the production environment
    (`env` added); then the database dropped, the Redis db flushed and the work dir removed, unless
    BENCH_KEEP. Returns the results to write (when it started, the settings) and what it measured."""
    # a SIGTERM (make interrupted, a CI timeout) unwinds like Ctrl-C: servers stopped, database dropped
    signal.signal(signal.SIGTERM, lambda signum, frame: sys.exit(128 + signum))
    started = datetime.now(UTC)
    work = Path(tempfile.mkdtemp(prefix=prefix))
    timings: dict[str, float] = {}
    try:
        outcome = measure(config, work, {**server_env(config, work), **(env or {})}, timings)
    finally:
        if config.keep:
            print(f"kept: database {config.database}, Redis {config.redis_url}, work dir {work}")
        else:
            redis.Redis.from_url(config.redis_url).flushdb()
            recreate_database(config, create=False)
            shutil.rmtree(work, ignore_errors=True)
    settings = {**asdict(config), "seconds": timings, "cpus": os.cpu_count()}
    return {"started_at": started.isoformat(timespec="seconds"), "settings": settings, **outcome}, outcome


def results_write(results: dict, *, name: str = "") -> None:
    """bench/results/[<name>-]<UTC timestamp>.json"""
    started = datetime.fromisoformat(results["started_at"])
    path = BENCH / "results" / f"{name}{'-' if name else ''}{started:%Y%m%dT%H%M%SZ}.json"
    path.parent.mkdir(exist_ok=True)
    path.write_text(json.dumps(results, indent=2, default=str) + "\n")
    print(f"\nwritten to {path.relative_to(ROOT)}")


def failed(failures: list[str]) -> int:
    for failure in failures:
        print(f"FAILED: {failure}", file=sys.stderr)
    return 1 if failures else 0


def main() -> int:
    if shutil.which("wrk") is None:
        install_debian_package("wrk", "wrk")
    results, _ = run_measured(Config(), bench, prefix="luxyhome-bench-")
    table = report.table(results)
    print(table)
    results_write({**results, "table": table.splitlines()})
    return failed(report.failures(results))


if __name__ == "__main__":
    sys.exit(main())
