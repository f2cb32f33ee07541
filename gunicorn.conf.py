"""gunicorn settings for Luxyhome: the Docker image, CI's production smoke run and `make bench` use them.

gunicorn luxyhome.wsgi:application -c gunicorn.conf.py
"""

import gc
import glob
import os

bind = os.environ.get("GUNICORN_BIND", "0.0.0.0:8000")
workers = int(os.environ.get("WEB_CONCURRENCY", "2"))
worker_class = os.environ.get("GUNICORN_WORKER_CLASS", "sync")
threads = int(os.environ.get("GUNICORN_THREADS", "1"))

timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))  # a worker stuck longer is restarted
graceful_timeout = 30  # on SIGTERM, requests in flight get this long to finish
keepalive = 5  # seconds, behind a load balancer that reuses connections

# the app is imported once, in the master: a worker starts (or is recycled) in milliseconds, by a
# fork, not in the second an import of Django and the project takes; workers share its memory pages
preload_app = True
# recycle workers now and then, so slow leaks in any library cannot grow without bound
max_requests = 20000
max_requests_jitter = 2000

# no access log: the app logs one JSON line per request (luxyhome.logs), with its request id and
# user; gunicorn's second, plain-text line took 4-8 % of a worker's CPU under load (make bench)
accesslog = None
errorlog = "-"
# the proxy in front terminates TLS and says so in X-Forwarded-Proto (see SECURE_PROXY_SSL_HEADER)
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")


# Prometheus with several workers: each writes its metrics to files in PROMETHEUS_MULTIPROC_DIR and
# /metrics sums them (luxyhome.metrics). Set it to a directory of its own, writable by the app user.
def on_starting(server):
    """Start from an empty directory: files left by an earlier run would be summed into this one's."""
    directory = os.environ.get("PROMETHEUS_MULTIPROC_DIR")
    if directory:
        os.makedirs(directory, exist_ok=True)
        for stale in glob.glob(os.path.join(directory, "*.db")):
            os.remove(stale)


def child_exit(server, worker):
    """A worker is gone: its live gauges go with it (its counters stay in the sums)."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        multiprocess.mark_process_dead(worker.pid)


def when_ready(server):
    """The preloaded app is imported: its objects last as long as a worker does. Frozen, a worker's
    full garbage collections skip them (50 ms pauses become 4 ms), and they stay shared pages."""
    gc.freeze()
