"""Real servers for fault tests, each on a free loopback port of its own: never the machine's shared ones.

Redis and PostgreSQL run as subprocesses that a test can stop and start again; the black hole is a
socket that accepts connections and never answers; AppServer is the project under gunicorn.
"""

import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from pathlib import Path

import yaml

BASE_DIR = Path(__file__).resolve().parent.parent.parent
PG_BIN = Path(os.environ.get("PG_BIN", "/usr/lib/postgresql/15/bin"))


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for(condition: Callable[[], object], *, timeout: float, what: str, interval: float = 0.05):
    """Poll `condition` until it returns something truthy (returned), or fail after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while True:
        result = condition()
        if result:
            return result
        if time.monotonic() > deadline:
            raise TimeoutError(f"gave up after {timeout}s waiting for {what}")
        time.sleep(interval)


def port_open(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=0.2):
            return True
    except OSError:
        return False


def _end(process: subprocess.Popen | None, *, timeout: float = 5) -> None:
    if process is None or process.poll() is not None:
        return
    process.terminate()
    try:
        process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=timeout)


class RedisServer:
    """`redis-server` on a free port, without persistence: a restart comes back empty, as after a crash."""

    def __init__(self):
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.process: subprocess.Popen | None = None

    def start(self) -> "RedisServer":
        command = ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"]
        self.process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        wait_for(lambda: self.process.poll() is not None or port_open(self.port), timeout=10, what="redis-server")
        if self.process.poll() is not None:
            raise RuntimeError(f"redis-server exited with {self.process.returncode}")
        return self

    def stop(self) -> None:
        _end(self.process)
        self.process = None


class BlackHole:
    """A listening socket that accepts connections and never answers: a service that hangs."""

    def __init__(self):
        self._listener = socket.create_server(("127.0.0.1", 0))
        self.port = self._listener.getsockname()[1]
        self._held: list[socket.socket] = []
        self._thread = threading.Thread(target=self._accept, daemon=True)
        self._thread.start()

    def _accept(self) -> None:
        while True:
            try:
                connection, _ = self._listener.accept()
            except OSError:  # closed
                return
            self._held.append(connection)

    def close(self) -> None:
        self._listener.close()
        for connection in self._held:
            connection.close()


class PostgresCluster:
    """A throwaway PostgreSQL cluster (initdb) in a temporary folder, on a free port, trusting local users.

    As root the server runs as the `postgres` user, since PostgreSQL refuses to run as root.
    """

    def __init__(self):
        self.port = free_port()
        self.dir = Path(tempfile.mkdtemp(prefix="luxyhome-pg-"))
        self.data = self.dir / "data"
        self._as = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
        if self._as:
            shutil.chown(self.dir, user="postgres", group="postgres")

    @staticmethod
    def available() -> bool:
        return (PG_BIN / "initdb").exists() and (os.geteuid() != 0 or shutil.which("runuser") is not None)

    def url(self, database: str) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/{database}"

    def _run(self, *command: str, timeout: float = 60) -> None:
        result = subprocess.run([*self._as, *command], capture_output=True, text=True, timeout=timeout)
        if result.returncode != 0:
            raise RuntimeError(f"{' '.join(command)} failed:\n{result.stdout}{result.stderr}")

    def init(self) -> "PostgresCluster":
        self._run(str(PG_BIN / "initdb"), "-D", str(self.data), "-U", "postgres", "--auth=trust", "--no-sync")
        return self

    def start(self) -> None:
        options = (
            f"-p {self.port} -c listen_addresses=127.0.0.1 -c unix_socket_directories={self.dir}"
            " -c fsync=off -c synchronous_commit=off -c full_page_writes=off"
        )
        log = self.dir / "server.log"
        self._run(str(PG_BIN / "pg_ctl"), "-D", str(self.data), "-l", str(log), "-o", options, "-w", "start")

    def stop(self, mode: str = "fast") -> None:
        self._run(str(PG_BIN / "pg_ctl"), "-D", str(self.data), "-m", mode, "-w", "stop")

    def create_database(self, name: str) -> None:
        self._run(str(PG_BIN / "createdb"), "-h", "127.0.0.1", "-p", str(self.port), "-U", "postgres", name)

    def destroy(self) -> None:
        """Stop the server if it runs and remove the cluster; safe to call in any state."""
        pid_file = self.data / "postmaster.pid"
        if pid_file.exists():
            try:
                self.stop(mode="immediate")
            except (RuntimeError, subprocess.TimeoutExpired):
                pid = int(pid_file.read_text().split()[0])
                os.kill(pid, signal.SIGKILL)
        shutil.rmtree(self.dir, ignore_errors=True)


class AppServer:
    """The project under gunicorn, as deployed (gunicorn.conf.py), on a free port with `env` added."""

    def __init__(self, env: dict[str, str], log_path: Path):
        self.port = free_port()
        self.base_url = f"http://127.0.0.1:{self.port}"
        self.env = {**os.environ, **env, "GUNICORN_BIND": f"127.0.0.1:{self.port}", "WEB_CONCURRENCY": "1"}
        # only the services the test gives: never the machine's shared Redis, S3, error tracker or metrics folder
        for name in (
            "REDIS_URL",
            "CELERY_BROKER_URL",
            "AWS_STORAGE_BUCKET_NAME",
            "SENTRY_DSN",
            "PROMETHEUS_MULTIPROC_DIR",
        ):
            if name not in env:
                self.env.pop(name, None)
        self.log_path = log_path
        self.process: subprocess.Popen | None = None

    def manage(self, *args: str) -> str:
        """Run a management command with the server's environment; returns what it printed."""
        command = [sys.executable, "manage.py", *args]
        result = subprocess.run(command, cwd=BASE_DIR, env=self.env, capture_output=True, text=True, timeout=120)
        if result.returncode != 0:
            raise RuntimeError(f"manage.py {' '.join(args)} failed:\n{result.stdout}{result.stderr}")
        return result.stdout

    def command(self) -> list[str]:
        return [str(Path(sys.executable).parent / "gunicorn"), "luxyhome.wsgi:application", "-c", "gunicorn.conf.py"]

    def start(self) -> "AppServer":
        with open(self.log_path, "ab") as log:
            self.process = subprocess.Popen(self.command(), cwd=BASE_DIR, env=self.env, stdout=log, stderr=log)
        wait_for(self._up, timeout=30, what=f"{self.command()[0]} (log: {self.log_path})")
        return self

    def _up(self) -> bool:
        if self.process.poll() is not None:
            raise RuntimeError(f"the server exited with {self.process.returncode}:\n{self.log_path.read_text()}")
        try:
            with urllib.request.urlopen(f"{self.base_url}/healthz", timeout=1) as response:
                return response.status == 200
        except OSError:
            return False

    def stop(self) -> None:
        _end(self.process, timeout=10)
        self.process = None


def ws_options() -> list[str]:
    """uvicorn's options for the sockets, less where it listens, as the compose service `ws` runs it:
    docker-compose.yml is their one place, and the tests, the bench and the smoke test run what it deploys."""
    command = yaml.safe_load((BASE_DIR / "docker-compose.yml").read_text())["services"]["ws"]["command"]
    return [option for option in command[2:] if not option.startswith(("--host=", "--port="))]


class SocketServer(AppServer):
    """The sockets under uvicorn, as the compose service `ws` runs them."""

    DATABASE_APPLICATION_NAME = "luxyhome-ws"  # its connections, told apart in pg_stat_activity

    def command(self) -> list[str]:
        uvicorn = str(Path(sys.executable).parent / "uvicorn")
        return [uvicorn, "luxyhome.asgi:application", "--host", "127.0.0.1", "--port", str(self.port), *ws_options()]
