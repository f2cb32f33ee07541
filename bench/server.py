"""The gunicorn under test, in a session of its own."""

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
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
