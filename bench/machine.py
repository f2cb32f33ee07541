"""How much of the machine other work takes: it skews every figure the bench measures.

CPU time of the whole machine (/proc/stat) less that of our own processes: gunicorn and its
workers (recycled ones too: the master is charged with its reaped children), the PostgreSQL
backends serving the bench database, Redis, the Celery worker, wrk, and the run itself (the webhook's
client).
"""

import os
import resource
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

TICKS = os.sysconf("SC_CLK_TCK")


@dataclass
class Own:
    """Our processes: gunicorn's master (first) and workers, and others (database backends, Redis)."""

    gunicorn: list[int]
    others: list[int]


class OtherWork:
    """The share (%) of the machine's CPU time that went to other work between start() and percent()."""

    def __init__(self, own: Callable[[], Own]):
        self.own = own
        self.start()

    def start(self) -> None:
        self.machine = _machine_ticks()
        self.processes = _snapshot(self.own())
        self.children = _children_ticks()

    def percent(self) -> float:
        busy, total = _machine_ticks()
        processes = _snapshot(self.own())
        ours = _children_ticks() - self.children  # wrk, once it has exited
        ours += sum(ticks - self.processes.get(pid, 0) for pid, ticks in processes.items())
        # a recycled worker's whole life is now in its master's reaped-children time: take off what came before
        ours -= sum(ticks for pid, ticks in self.processes.items() if pid not in processes and pid > 0)
        other = busy - self.machine[0] - ours
        return round(max(0.0, 100 * other / max(1, total - self.machine[1])), 1)


def wait_for_quiet(own: Callable[[], Own], seconds: int, busy_percent: float = 10.0) -> float:
    """Wait up to `seconds` for other work to stop; returns the share it took of the last 2 s."""
    deadline, busy = time.monotonic() + seconds, idle_sample(own)
    if busy > busy_percent and seconds:
        print(f"--- other work keeps the machine {busy:.0f} % busy: waiting up to {seconds} s", flush=True)
    while busy > busy_percent and time.monotonic() < deadline:
        time.sleep(3)
        busy = idle_sample(own)
    return busy


def idle_sample(own: Callable[[], Own], seconds: float = 2.0) -> float:
    meter = OtherWork(own)
    time.sleep(seconds)
    return meter.percent()


def _machine_ticks() -> tuple[int, int]:
    fields = [int(value) for value in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    idle = fields[3] + fields[4]  # idle, iowait
    return sum(fields) - idle, sum(fields)


def _snapshot(own: Own) -> dict[int, int]:
    """CPU ticks by pid; gunicorn workers under positive pids, other processes under negative ones, so
    that a database backend that went away is not mistaken for a reaped worker."""
    ticks = {}
    for index, pid in enumerate(own.gunicorn):
        found = _process_ticks(pid, with_children=index == 0)
        if found is not None:
            ticks[pid] = found
    for pid in own.others:
        found = _process_ticks(pid, with_children=False)
        if found is not None:
            ticks[-pid] = found
    return ticks


def _process_ticks(pid: int, *, with_children: bool) -> int | None:
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    ticks = int(fields[11]) + int(fields[12])  # utime, stime
    return ticks + int(fields[13]) + int(fields[14]) if with_children else ticks  # cutime, cstime


def _children_ticks() -> int:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return round((usage.ru_utime + usage.ru_stime) * TICKS)
