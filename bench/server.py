"""The gunicorn under test, and the machine it shares: how busy other work keeps it."""

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable, Iterable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Server:
    """gunicorn in a session of its own, so stopping it cannot miss a worker."""

    def __init__(self, port: int, env: dict[str, str], log: Path, extra_args: str = ""):
        self.url = f"http://127.0.0.1:{port}"
        self.log = log
        command = [str(BIN / "gunicorn"), "luxyhome.wsgi:application", "-c", "gunicorn.conf.py"]
        command += extra_args.split()  # experiments only: the command line beats the config file
        with log.open("wb") as out:
            self.process = subprocess.Popen(
                command, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
            )

    def wait_ready(self, seconds: float = 60) -> None:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn exited with {self.process.returncode}:\n{self.log_tail()}")
            try:
                with urllib.request.urlopen(f"{self.url}/healthz", timeout=2) as answer:
                    if answer.status == 200:
                        return
            except OSError:
                time.sleep(0.2)
        raise RuntimeError(f"gunicorn did not answer /healthz in {seconds:.0f} s:\n{self.log_tail()}")

    def pids(self) -> list[int]:
        """The master and its workers."""
        ps = subprocess.run(["ps", "-o", "pid=", "--ppid", str(self.process.pid)], capture_output=True, text=True)
        return [self.process.pid, *map(int, ps.stdout.split())]

    def worker_rss_mb(self) -> dict[str, float]:
        ps = ["ps", "-o", "pid=,rss=", "--ppid", str(self.process.pid)]
        rows = subprocess.run(ps, capture_output=True, text=True).stdout.split()
        return {pid: round(int(rss) / 1024, 1) for pid, rss in zip(rows[::2], rows[1::2], strict=True)}

    def worker_boots(self) -> int:
        return self.log.read_text(errors="replace").count("Booting worker with pid")

    def log_tail(self, lines: int = 30) -> str:
        return "\n".join(self.log.read_text(errors="replace").splitlines()[-lines:])

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)  # graceful: the master stops its workers
            try:
                self.process.wait(timeout=40)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()
        with contextlib.suppress(ProcessLookupError):  # a worker the master left behind
            os.killpg(self.process.pid, signal.SIGKILL)


def background_cpu(own_pids: Callable[[], Iterable[int]] = tuple, seconds: float = 2.0) -> float:
    """How busy other work keeps the machine (%): all CPU time less that of our own processes, which
    may still be draining requests wrk left queued."""
    pids = list(own_pids())
    busy, total = _machine_jiffies()
    own = _process_jiffies(pids)
    time.sleep(seconds)
    busy_after, total_after = _machine_jiffies()
    own_after = _process_jiffies(pids)
    own_busy = sum(own_after[pid] - own[pid] for pid in own.keys() & own_after.keys())
    return round(max(0.0, 100 * (busy_after - busy - own_busy) / max(1, total_after - total)), 1)


def wait_for_quiet(seconds: int, own_pids: Callable[[], Iterable[int]] = tuple, busy_percent: float = 10.0) -> float:
    """Wait up to `seconds` for other work to stop (it skews every figure); returns how busy it keeps the machine."""
    deadline, busy = time.monotonic() + seconds, background_cpu(own_pids)
    if busy > busy_percent and seconds:
        print(f"--- the machine is {busy:.0f} % busy with other work: waiting up to {seconds} s", flush=True)
    while busy > busy_percent and time.monotonic() < deadline:
        time.sleep(3)
        busy = background_cpu(own_pids)
    return busy


def _machine_jiffies() -> tuple[int, int]:
    fields = [int(value) for value in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    idle = fields[3] + fields[4]  # idle, iowait
    return sum(fields) - idle, sum(fields)


def _process_jiffies(pids: list[int]) -> dict[int, int]:
    found = {}
    for pid in pids:
        with contextlib.suppress(OSError):
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            found[pid] = int(fields[11]) + int(fields[12])  # utime, stime
    return found
