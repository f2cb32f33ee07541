"""The Celery app: background jobs on the broker in CELERY_BROKER_URL, the beat schedule in settings.

celery -A luxyhome worker   (as many as needed, on any machine)
celery -A luxyhome beat     (exactly one: two would send every periodic task twice)

With no broker configured, tasks run in-process right after the transaction commits (settings).
"""

import logging
import os

from celery import Celery, signals
from django.db import transaction

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "luxyhome.settings")
logger = logging.getLogger(__name__)

app = Celery("luxyhome")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


def send_on_commit(task, *args) -> None:
    """Send `task` once the current transaction commits, and never if it rolls back.

    A broker that cannot be reached is logged, not raised: the request that committed has succeeded,
    and the row that says the work is owed stays for the sweeps to find.
    """

    def send():
        try:
            task.delay(*args)
        except Exception:  # kombu's OperationalError, or whatever else the broker's client raises
            logger.exception("Could not send the task %s%r; the sweeps will find the work", task.name, args)

    transaction.on_commit(send)


def _counter(outcome: str):
    def count(sender, **kwargs):
        from luxyhome.metrics import TASKS  # here, not at the top: settings are not loaded yet there

        TASKS.labels(task=sender.name, outcome=outcome).inc()

    return count


for _signal, _outcome in (
    (signals.task_success, "succeeded"),
    (signals.task_failure, "failed"),
    (signals.task_retry, "retried"),
):
    _signal.connect(_counter(_outcome), weak=False)


@signals.worker_init.connect
def _serve_metrics(**kwargs):
    """With WORKER_METRICS_BIND (host:port) set, the worker serves its metrics there for Prometheus."""
    bind = os.environ.get("WORKER_METRICS_BIND")
    if bind:
        from luxyhome.metrics import metrics_server_start

        host, _, port = bind.rpartition(":")
        metrics_server_start(host, int(port))
