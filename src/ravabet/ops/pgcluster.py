"""A PostgreSQL primary and a streaming replica on loopback, from Debian's binaries, in a folder
of their own: for the replica tests, the failure bench and a one-machine rehearsal of the
multi-server set-up. Nothing here runs in production (docs/deployment.md shows the real thing).

    python -m ravabet.ops.pgcluster start --dir /tmp/rv-pg --primary-port 5434 --replica-port 5433
    python -m ravabet.ops.pgcluster pause|resume|status|stop --dir /tmp/rv-pg

initdb on the primary, pg_basebackup -R for the replica (streaming, hot standby), both with
trust authentication on 127.0.0.1 only. As root the servers run as the `postgres` user (initdb
refuses root). `pause` is `SELECT pg_wal_replay_pause()` on the replica: replication stops
on purpose, so that a test can prove no stale read reaches a client.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import time
from dataclasses import asdict, dataclass
from glob import glob
from pathlib import Path


def bin_dir() -> Path | None:
    """Debian's newest PostgreSQL server binaries (initdb, pg_ctl, pg_basebackup), or None."""
    found = sorted(glob("/usr/lib/postgresql/*/bin/initdb"), key=lambda p: int(p.split("/")[4]))
    if found:
        return Path(found[-1]).parent
    initdb = shutil.which("initdb")
    return Path(initdb).parent if initdb else None


def _as_postgres() -> list[str]:
    if os.geteuid() != 0:
        return []
    runuser = shutil.which("runuser") or "/usr/sbin/runuser"
    return [runuser, "-u", "postgres", "--"]


@dataclass
class Cluster:
    folder: Path
    primary_port: int
    replica_port: int

    @property
    def primary_url(self) -> str:
        return f"postgres://postgres@127.0.0.1:{self.primary_port}/ravabet"

    @property
    def replica_url(self) -> str:
        return f"postgres://postgres@127.0.0.1:{self.replica_port}/ravabet"

    def _bin(self, name: str) -> str:
        folder = bin_dir()
        if folder is None:
            raise RuntimeError("PostgreSQL's server binaries are missing: apt install postgresql")
        return str(folder / name)

    def _run(self, *argv: str, timeout: float = 120) -> str:
        done = subprocess.run(
            [*_as_postgres(), *argv], capture_output=True, text=True, timeout=timeout
        )
        if done.returncode != 0:
            raise RuntimeError(f"{' '.join(argv)} failed:\n{done.stdout}\n{done.stderr}")
        return done.stdout

    def psql(self, port: int, sql: str, database: str = "postgres") -> str:
        return self._run(
            self._bin("psql"), "-h", "127.0.0.1", "-p", str(port), "-U", "postgres",
            "-d", database, "-Atqc", sql,
        ).strip()  # fmt: skip

    @property
    def primary_dir(self) -> Path:
        return self.folder / "primary"

    @property
    def replica_dir(self) -> Path:
        return self.folder / "replica"

    def start(self) -> Cluster:
        self.folder.mkdir(parents=True, exist_ok=True)
        if os.geteuid() == 0:
            shutil.chown(self.folder, "postgres", "postgres")
        if not (self.primary_dir / "PG_VERSION").exists():
            self._run(
                self._bin("initdb"), "-D", str(self.primary_dir), "-U", "postgres",
                "--auth=trust", "--encoding=UTF8", "--locale=C.UTF-8", "--no-sync",
            )  # fmt: skip
            with open(self.primary_dir / "postgresql.conf", "a") as conf:
                conf.write(self._settings(self.primary_port))
                conf.write("wal_level = replica\nmax_wal_senders = 8\nwal_keep_size = 256MB\n")
            self._start(self.primary_dir)
            self.psql(self.primary_port, "CREATE DATABASE ravabet")
        else:
            self._start(self.primary_dir)
        if not (self.replica_dir / "PG_VERSION").exists():
            self._run(
                self._bin("pg_basebackup"), "-h", "127.0.0.1", "-p", str(self.primary_port),
                "-U", "postgres", "-D", str(self.replica_dir), "-R", "-X", "stream",
                "--no-sync", "--checkpoint=fast",
            )  # fmt: skip
            with open(self.replica_dir / "postgresql.conf", "a") as conf:
                conf.write(self._settings(self.replica_port))  # the last `port` line wins
                conf.write("hot_standby = on\n")
        self._start(self.replica_dir)
        (self.folder / "cluster.json").write_text(json.dumps(asdict(self), default=str))
        return self

    def _settings(self, port: int) -> str:
        return (
            f"\n# ravabet.ops.pgcluster\nport = {port}\nlisten_addresses = '127.0.0.1'\n"
            f"unix_socket_directories = '{self.folder}'\nfsync = off\n"
            "full_page_writes = off\nmax_connections = 60\nshared_buffers = 32MB\n"
        )

    def _start(self, data: Path) -> None:
        if self.running(data):
            return
        self._run(
            self._bin("pg_ctl"), "-D", str(data), "-l", str(data.parent / f"{data.name}.log"),
            "-w", "-t", "60", "start",
        )  # fmt: skip

    def running(self, data: Path) -> bool:
        done = subprocess.run(
            [*_as_postgres(), self._bin("pg_ctl"), "-D", str(data), "status"],
            capture_output=True,
        )
        return done.returncode == 0

    def stop_server(self, data: Path, mode: str = "fast") -> None:
        if data.exists() and self.running(data):
            self._run(self._bin("pg_ctl"), "-D", str(data), "-m", mode, "-w", "stop")

    def start_server(self, data: Path) -> None:
        self._start(data)

    def pause(self) -> None:
        self.psql(self.replica_port, "SELECT pg_wal_replay_pause()")

    def resume(self) -> None:
        self.psql(self.replica_port, "SELECT pg_wal_replay_resume()")

    def wait_caught_up(self, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            target = self.psql(self.primary_port, "SELECT pg_current_wal_lsn()")
            done = self.psql(
                self.replica_port, f"SELECT pg_last_wal_replay_lsn() >= '{target}'::pg_lsn"
            )
            if done == "t":
                return
            time.sleep(0.1)
        raise RuntimeError("the replica did not catch up")

    def status(self) -> dict[str, object]:
        return {
            "primary": self.running(self.primary_dir),
            "replica": self.running(self.replica_dir),
            "primary_url": self.primary_url,
            "replica_url": self.replica_url,
        }

    def stop(self, *, remove: bool = False) -> None:
        for data in (self.replica_dir, self.primary_dir):
            try:
                self.stop_server(data, "immediate" if remove else "fast")
            except RuntimeError:
                pass
        if remove:
            shutil.rmtree(self.folder, ignore_errors=True)

    @classmethod
    def load(cls, folder: Path) -> Cluster:
        data = json.loads((Path(folder) / "cluster.json").read_text())
        return cls(Path(data["folder"]), int(data["primary_port"]), int(data["replica_port"]))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m ravabet.ops.pgcluster")
    parser.add_argument("action", choices=["start", "stop", "destroy", "pause", "resume", "status"])
    parser.add_argument("--dir", required=True)
    parser.add_argument("--primary-port", type=int, default=5434)
    parser.add_argument("--replica-port", type=int, default=5433)
    args = parser.parse_args(argv)
    folder = Path(args.dir).resolve()
    if args.action == "start":
        cluster = Cluster(folder, args.primary_port, args.replica_port).start()
        print(json.dumps(cluster.status()))
        return 0
    cluster = Cluster.load(folder)
    if args.action == "stop":
        cluster.stop()
    elif args.action == "destroy":
        cluster.stop(remove=True)
    elif args.action == "pause":
        cluster.pause()
    elif args.action == "resume":
        cluster.resume()
    else:
        print(json.dumps(cluster.status()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
