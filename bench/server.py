"""The processes under test, each in a session of its own: gunicorn and the Celery worker."""

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from celery import Celery

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Session:
    """A command in a session of its own, so stopping it cannot miss a child process."""

    name = "command"
    health_url = ""  # a server's: answers 200 once it serves

    def __init__(self, command: list[str], env: dict[str, str], log: Path):
        self.log = log
        with log.open("wb") as out:
            self.process = subprocess.Popen(
                command, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
            )

    def check_running(self) -> None:
        if self.process.poll() is not None:
            raise RuntimeError(f"{self.name} exited with {self.process.returncode}:\n{self.log_tail()}")

    def pids(self) -> list[int]:
        """The main process and its children (gunicorn's or Celery's workers)."""
        ps = subprocess.run(["ps", "-o", "pid=", "--ppid", str(self.process.pid)], capture_output=True, text=True)
        return [self.process.pid, *map(int, ps.stdout.split())]

    def wait_ready(self, seconds: float = 60) -> None:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            self.check_running()
            try:
                with urllib.request.urlopen(self.health_url, timeout=2) as answer:
                    if answer.status == 200:
                        return
            except OSError:
                time.sleep(0.2)
        raise RuntimeError(f"{self.name} did not answer {self.health_url} in {seconds:.0f} s:\n{self.log_tail()}")

    def log_tail(self, lines: int = 30) -> str:
        return "\n".join(self.log.read_text(errors="replace").splitlines()[-lines:])

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)  # graceful: the main process stops its children
            try:
                self.process.wait(timeout=40)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()
        with contextlib.suppress(ProcessLookupError):  # a child the main process left behind
            os.killpg(self.process.pid, signal.SIGKILL)


class Server(Session):
    """gunicorn with gunicorn.conf.py on a loopback port."""

    name = "gunicorn"

    def __init__(self, port: int, env: dict[str, str], log: Path, extra_args: str = ""):
        self.url = f"http://127.0.0.1:{port}"
        self.health_url = f"{self.url}/healthz"
        command = [str(BIN / "gunicorn"), "luxyhome.wsgi:application", "-c", "gunicorn.conf.py"]
        command += extra_args.split()  # experiments only: the command line beats the config file
        super().__init__(command, env, log)

    def worker_rss_mb(self) -> dict[str, float]:
        ps = ["ps", "-o", "pid=,rss=", "--ppid", str(self.process.pid)]
        rows = subprocess.run(ps, capture_output=True, text=True).stdout.split()
        return {pid: round(int(rss) / 1024, 1) for pid, rss in zip(rows[::2], rows[1::2], strict=True)}

    def worker_boots(self) -> int:
        return self.log.read_text(errors="replace").count("Booting worker with pid")


class Worker(Session):
    """The Celery worker, started as in production."""

    name = "celery worker"

    def __init__(self, env: dict[str, str], log: Path, concurrency: int):
        command = [str(BIN / "celery"), "-A", "luxyhome", "worker", "--loglevel", "WARNING"]
        super().__init__([*command, "--concurrency", str(concurrency)], env, log)

    def wait_ready(self, broker_url: str, seconds: float = 60) -> None:
        """Until it answers a ping on the broker: it then consumes the queue."""
        deadline = time.monotonic() + seconds
        with Celery(broker=broker_url) as app:
            while time.monotonic() < deadline:
                self.check_running()
                if app.control.ping(timeout=0.5):
                    return
        raise RuntimeError(f"the celery worker did not answer a ping in {seconds:.0f} s:\n{self.log_tail()}")
