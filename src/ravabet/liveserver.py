"""Start the real `ravabet serve` in a fresh folder on a free port, for browser tests,
Lighthouse and benchmarks (tests/e2e, bench/). Nothing here runs in production.

    with LiveServer.start(demo=True) as server:
        urlopen(server.url("/"))
"""

from __future__ import annotations

import http.client
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

# Variables of the calling process that must not leak into the server (pytest's, xdist's).
_DROPPED_PREFIXES = ("PYTEST_", "DJANGO_SETTINGS_MODULE")


def free_port() -> int:
    """A TCP port on loopback that nothing listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def server_env(folder: Path, extra: dict[str, str] | None = None) -> dict[str, str]:
    """The environment of a server whose data lives in `folder`: SQLite there unless
    `extra` names a DATABASE_URL; no Redis unless `extra` names one."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(_DROPPED_PREFIXES)}
    env.pop("REDIS_URL", None)
    env.pop("DATABASE_URL", None)
    env["RAVABET_VAR_DIR"] = str(folder)
    env["DATABASE_URL"] = f"sqlite:///{folder / 'ravabet.sqlite3'}"
    env.setdefault("RAVABET_LOG_LEVEL", "ERROR")
    # Browser scripts fill a public form faster than the minimum time a person takes.
    env.setdefault("RAVABET_FORM_MIN_SECONDS", "0")
    env.update(extra or {})
    return env


def ravabet(*args: str, env: dict[str, str], timeout: float = 300) -> str:
    """Run one `ravabet` command in the server's environment; its output on success."""
    done = subprocess.run(
        [sys.executable, "-m", "ravabet.cli", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    if done.returncode != 0:
        raise RuntimeError(f"ravabet {' '.join(args)} failed:\n{done.stdout}\n{done.stderr}")
    return done.stdout


@dataclass
class LiveServer:
    """A running `ravabet serve` process tree."""

    folder: Path
    port: int
    env: dict[str, str]
    process: subprocess.Popen | None = None
    owns_folder: bool = True
    log: Path = field(init=False)

    def __post_init__(self) -> None:
        self.log = self.folder / "server.log"

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def url(self, path: str) -> str:
        return self.base_url + path

    @classmethod
    def prepare(
        cls,
        *,
        demo: bool = True,
        env: dict[str, str] | None = None,
        folder: Path | None = None,
    ) -> LiveServer:
        """A fresh folder with a migrated database (and the demo), not yet serving."""
        owns = folder is None
        folder = Path(folder or tempfile.mkdtemp(prefix="ravabet-live-"))
        folder.mkdir(parents=True, exist_ok=True)
        full_env = server_env(folder, env)
        ravabet("migrate", "--no-input", "-v", "0", env=full_env)
        if demo:
            # Benchmarks may point it at a PostgreSQL database of their own: never production's.
            ravabet("demo", "--i-know-this-is-not-production", "-v", "0", env=full_env)
        return cls(folder=folder, port=free_port(), env=full_env, owns_folder=owns)

    @classmethod
    def start(
        cls,
        *,
        demo: bool = True,
        env: dict[str, str] | None = None,
        workers: int = 1,
        timeout: float = 60,
    ) -> LiveServer:
        server = cls.prepare(demo=demo, env=env)
        server.serve(workers=workers, timeout=timeout)
        return server

    def serve(self, *, workers: int = 1, timeout: float = 60, task_worker: bool = False) -> None:
        """Start `ravabet serve` (no task worker unless asked) and wait until /healthz answers."""
        with open(self.log, "ab") as log:
            self.process = subprocess.Popen(
                [
                    sys.executable, "-m", "ravabet.cli", "serve",
                    "--host", "127.0.0.1",
                    "--port", str(self.port),
                    "--workers", str(workers),
                    *([] if task_worker else ["--no-task-worker"]),
                ],
                env=self.env,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )  # fmt: skip
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"ravabet serve exited early:\n{self.log.read_text()[-3000:]}")
            try:
                # Any answer will do: under RAVABET_HTTPS=1 plain HTTP is redirected to HTTPS.
                connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=2)
                connection.request("GET", "/healthz")
                status = connection.getresponse().status
                connection.close()
                if status < 500:
                    return
            except OSError:
                pass
            time.sleep(0.2)
        self.stop()
        raise RuntimeError(f"ravabet serve did not answer in {timeout} s:\n{self.log.read_text()}")

    def pids(self) -> list[int]:
        """The server's process and every descendant (granian's workers)."""
        if self.process is None or self.process.poll() is not None:
            return []
        return descendants(self.process.pid)

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=5)
        self.process = None

    def close(self) -> None:
        self.stop()
        if self.owns_folder:
            shutil.rmtree(self.folder, ignore_errors=True)

    def __enter__(self) -> LiveServer:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def descendants(pid: int) -> list[int]:
    """`pid` and all its descendants, from /proc (Linux)."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        # The command name may hold spaces and parentheses: the fields after the last ")".
        ppid = int(stat.rsplit(")", 1)[1].split()[1])
        children.setdefault(ppid, []).append(int(entry.name))
    found, todo = [], [pid]
    while todo:
        current = todo.pop()
        found.append(current)
        todo.extend(children.get(current, []))
    return found


def rss_bytes(pids: list[int]) -> int:
    """The summed resident memory of these processes (those that still exist)."""
    total = 0
    for pid in pids:
        try:
            for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1]) * 1024
                    break
        except OSError:
            continue
    return total
