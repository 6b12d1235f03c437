"""Failure tests of the multi-server set-up, on loopback, under a bounded load; prints a table.

    .venv/bin/python bench/failover.py            # about 5 minutes on a quiet 2-core machine
    .venv/bin/python bench/failover.py --serve    # only start the set-up, until Ctrl+C
                                                  # (deploy/rehearse.sh installs what is missing)

It builds, in a temporary folder and on free ports (never the shared PostgreSQL or Redis):
a PostgreSQL primary and a streaming replica (ravabet.ops.pgcluster, Debian's binaries), a
Redis of its own, the demo on the primary, two `ravabet serve` app servers and nginx in front
(upstream of both, retry on connection errors: deploy/nginx/ravabet.conf's settings). Then, each
while a few clients keep requesting pages (bounded: 3 clients, 20 ms pause between requests):

  kill app server   SIGKILL one of the two app servers' process trees      0 failed requests
  stop Redis        kill Redis, keep serving, start it again                no 5xx
  stop replica      stop the replica                                        reads go to primary
  restart primary   restart PostgreSQL while citizens send demands          none accepted is lost;
                                                                            refusals are 503 + retry
  two schedulers    two `ravabet scheduler` at once, demands tick every 2 s one tick per window

Needs: PostgreSQL server binaries, redis-server, nginx (`./dev deps`). Run as root or as a user
that may run PostgreSQL's binaries.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections import Counter
from dataclasses import dataclass, field
from http.cookiejar import CookieJar
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from ravabet.liveserver import LiveServer, descendants, free_port, ravabet, server_env
from ravabet.ops.pgcluster import Cluster, bin_dir

CHECKOUT = Path(__file__).resolve().parents[1]
NGINX_TEMPLATE = """
worker_processes 1;
{user}
pid {root}/nginx.pid;
error_log {root}/error.log warn;
events {{ worker_connections 256; }}
http {{
  access_log off;
  client_body_temp_path {root}/tmp; proxy_temp_path {root}/tmp;
  fastcgi_temp_path {root}/tmp; uwsgi_temp_path {root}/tmp; scgi_temp_path {root}/tmp;
  upstream ravabet {{
    server 127.0.0.1:{a} max_fails=1 fail_timeout=5s;
    server 127.0.0.1:{b} max_fails=1 fail_timeout=5s;
    keepalive 8;
  }}
  server {{
    listen 127.0.0.1:{port};
    location / {{
      proxy_pass http://ravabet;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_set_header Host $host;
      # The bench's citizens come from many addresses: they pass X-Forwarded-For through.
      proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
      proxy_connect_timeout 1s;
      proxy_read_timeout 30s;
      # A dead app server: the request goes to the other. POSTs are not replayed (non_idempotent
      # is not listed): nginx cannot know whether the dead server had taken them.
      proxy_next_upstream error timeout http_502;
      proxy_next_upstream_tries 2;
    }}
  }}
}}
"""


@dataclass
class Load:
    """A few clients requesting pages in a loop until stopped."""

    base: str
    paths: list[str]
    clients: int = 3
    pause: float = 0.02
    statuses: Counter = field(default_factory=Counter)
    reads: Counter = field(default_factory=Counter)
    _stop: threading.Event = field(default_factory=threading.Event)
    _threads: list[threading.Thread] = field(default_factory=list)

    def _client(self, index: int) -> None:
        i = index
        while not self._stop.is_set():
            path = self.paths[i % len(self.paths)]
            i += 1
            try:
                with urllib.request.urlopen(self.base + path, timeout=30) as response:
                    response.read()
                    self.statuses[response.status] += 1
                    self.reads[response.headers.get("X-Ravabet-Read", "-")] += 1
            except urllib.error.HTTPError as exc:
                self.statuses[exc.code] += 1
            except OSError:
                self.statuses["connection error"] += 1
            time.sleep(self.pause)

    def __enter__(self) -> Load:
        for index in range(self.clients):
            thread = threading.Thread(target=self._client, args=(index,), daemon=True)
            thread.start()
            self._threads.append(thread)
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        for thread in self._threads:
            thread.join(40)

    @property
    def total(self) -> int:
        return sum(self.statuses.values())

    @property
    def failed(self) -> int:
        return sum(n for s, n in self.statuses.items() if not isinstance(s, int) or s >= 500)

    def reset(self) -> None:
        self.statuses.clear()
        self.reads.clear()


@dataclass
class Row:
    scenario: str
    requests: int
    failed: int
    observed: str
    passed: bool


def _to_ascii(text: str) -> str:
    return text.translate(str.maketrans("۰۱۲۳۴۵۶۷۸۹", "0123456789"))


def send_demand(base: str, office: str, citizen: int) -> tuple[str, str | None]:
    """One citizen sends one demand through nginx; ('accepted', code) or (status, None)."""
    jar = CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar), _NoRedirect())
    address = f"10.{citizen // 65536 % 256}.{citizen // 256 % 256}.{citizen % 256}"
    headers = {"X-Forwarded-For": address}
    try:
        page = opener.open(
            urllib.request.Request(f"{base}/{office}/demands/new/", headers=headers), timeout=30
        )
        html = page.read().decode()
    except urllib.error.HTTPError as exc:
        return str(exc.code), None
    except OSError:
        return "connection error", None
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)
    challenge = re.search(r'name="captcha_token" value="([^"]+)"', html)
    question = re.search(r'<label for="id_captcha_answer">[^<:]*:\s*([^<]*)</label>', html)
    if not (token and challenge and question):
        return "form not found", None
    a, op, b = _to_ascii(question.group(1)).split()[:3]
    answer = int(a) + int(b) if op == "+" else int(a) - int(b)
    data = urllib.parse.urlencode(
        {
            "csrfmiddlewaretoken": token.group(1),
            "kind": "request",
            "subject": f"روشنایی کوچه {citizen}",
            "body": "چراغ‌های کوچه ما خاموش است.",
            "name": "شهروند آزمون",
            "email": f"c{citizen}@example.org",
            "consent_publish": "on",
            "captcha_token": challenge.group(1),
            "captcha_answer": str(answer),
            "website": "",
        }
    ).encode()
    request = urllib.request.Request(
        f"{base}/{office}/demands/new/",
        data=data,
        headers={**headers, "Referer": f"{base}/{office}/demands/new/"},
    )
    try:
        response = opener.open(request, timeout=30)
        return str(response.status), None
    except urllib.error.HTTPError as exc:
        if exc.code == 302:
            return "accepted", exc.headers["Location"].rstrip("/").rsplit("/", 1)[-1]
        return str(exc.code), None
    except OSError:
        return "connection error", None


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        return None


class Bench:
    def __init__(self) -> None:
        self.root = Path(tempfile.mkdtemp(prefix="ravabet-failover-"))
        os.chmod(self.root, 0o755)
        self.cluster = Cluster(self.root / "pg", free_port(), free_port())
        self.redis_port = free_port()
        self.redis: subprocess.Popen | None = None
        self.servers: list[LiveServer] = []
        self.nginx: subprocess.Popen | None = None
        self.port = free_port()
        self.env: dict[str, str] = {}

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start_redis(self) -> None:
        self.redis = subprocess.Popen(
            [
                "redis-server",
                "--port",
                str(self.redis_port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        time.sleep(0.5)

    def setup(self) -> None:
        print("starting PostgreSQL primary + replica, Redis, the demo, 2 app servers, nginx …")
        self.cluster.start()
        self.start_redis()
        self.env = server_env(
            self.root / "app",
            {
                "DATABASE_URL": self.cluster.primary_url,
                "RAVABET_REPLICA_URL": self.cluster.replica_url,
                "REDIS_URL": f"redis://127.0.0.1:{self.redis_port}/0",
                "RAVABET_TRUSTED_PROXIES": "127.0.0.1",
                "RAVABET_FORM_MIN_SECONDS": "0",
                "RAVABET_LOG_LEVEL": "ERROR",
                # Media shared by both app servers: one folder on one machine (NFS in real life).
                "RAVABET_MEDIA_ROOT": str(self.root / "media"),
            },
        )
        (self.root / "app").mkdir()
        ravabet("migrate", "--no-input", "-v", "0", env=self.env)
        ravabet("demo", "--i-know-this-is-not-production", "-v", "0", env=self.env)
        for name in ("a", "b"):
            folder = self.root / f"app-{name}"
            folder.mkdir()
            env = {**self.env, "RAVABET_VAR_DIR": str(folder)}
            shutil.copy(self.root / "app" / "secret_key", folder / "secret_key")
            server = LiveServer(folder=folder, port=free_port(), env=env, owns_folder=False)
            server.serve(workers=1, timeout=180)
            self.servers.append(server)
        self.start_nginx()
        self.cluster.wait_caught_up()

    def start_nginx(self) -> None:
        nginx = shutil.which("nginx") or "/usr/sbin/nginx"
        (self.root / "tmp").mkdir(exist_ok=True)
        conf = self.root / "nginx.conf"
        conf.write_text(
            NGINX_TEMPLATE.format(
                root=self.root,
                port=self.port,
                a=self.servers[0].port,
                b=self.servers[1].port,
                user="user root;" if os.geteuid() == 0 else "",
            )
        )
        self.nginx = subprocess.Popen(
            [nginx, "-c", str(conf), "-p", str(self.root), "-g", "daemon off;"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        for _ in range(100):
            try:
                urllib.request.urlopen(self.base + "/healthz", timeout=2).read()
                return
            except OSError:
                time.sleep(0.1)
        raise RuntimeError("nginx did not start")

    def teardown(self) -> None:
        if self.nginx:
            self.nginx.terminate()
        for server in self.servers:
            server.stop()
        if self.redis and self.redis.poll() is None:
            self.redis.terminate()
        self.cluster.stop(remove=True)
        shutil.rmtree(self.root, ignore_errors=True)

    # ------------------------------------------------------------------ scenarios
    PAGES = ["/", "/news/", "/demands/published/", "/en/", "/ilam/demands/"]

    def kill_app_server(self) -> Row:
        with Load(self.base, self.PAGES) as load:
            time.sleep(3)
            victim = self.servers[0]
            for pid in reversed(descendants(victim.process.pid)):
                try:
                    os.kill(pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass
            time.sleep(6)
        victim.process = None
        ok = load.failed == 0
        return Row(
            "kill one of two app servers",
            load.total,
            load.failed,
            f"statuses {dict(load.statuses)}",
            ok,
        )

    def stop_redis(self) -> Row:
        with Load(self.base, self.PAGES) as load:
            time.sleep(2)
            assert self.redis is not None
            self.redis.kill()
            self.redis.wait()
            time.sleep(6)
            self.start_redis()
            time.sleep(2)
        five = sum(n for s, n in load.statuses.items() if not isinstance(s, int) or s >= 500)
        return Row(
            "stop Redis (and start it again)",
            load.total,
            five,
            f"statuses {dict(load.statuses)}",
            five == 0,
        )

    def stop_replica(self) -> Row:
        paths = ["/demands/published/", "/ilam/demands/"]
        with Load(self.base, paths) as load:
            time.sleep(2)
            before = dict(load.reads)
            load.reset()
            self.cluster.stop_server(self.cluster.replica_dir)
            time.sleep(1)
            load.reset()
            time.sleep(5)
        after = dict(load.reads)
        self.cluster.start_server(self.cluster.replica_dir)
        ok = load.failed == 0 and after.get("replica", 0) == 0 and after.get("primary", 0) > 0
        return Row(
            "stop the replica", load.total, load.failed, f"reads before {before}, after {after}", ok
        )

    def restart_primary(self) -> Row:
        accepted: list[str] = []
        refusals: Counter = Counter()
        stop = threading.Event()
        attempts = Counter()

        def citizen(first: int) -> None:
            number = first
            while not stop.is_set():
                for _try in range(20):  # the citizen sends again after a refusal
                    outcome, code = send_demand(self.base, "ilam", number)
                    attempts["sent"] += 1
                    if code:
                        accepted.append(code)
                        break
                    refusals[outcome] += 1
                    time.sleep(1)
                number += 1000

        threads = [threading.Thread(target=citizen, args=(i,), daemon=True) for i in range(2)]
        for thread in threads:
            thread.start()
        time.sleep(4)
        self.cluster.stop_server(self.cluster.primary_dir, "fast")
        time.sleep(3)
        self.cluster.start_server(self.cluster.primary_dir)
        time.sleep(6)
        stop.set()
        for thread in threads:
            thread.join(60)
        codes = ",".join(f"'{c}'" for c in accepted) or "''"
        found = int(
            self.cluster.psql(
                self.cluster.primary_port,
                f"SELECT count(*) FROM demands_demand WHERE code IN ({codes})",
                database="ravabet",
            )
        )
        lost = len(accepted) - found
        bad = {k: v for k, v in refusals.items() if k not in ("503",)}
        return Row(
            "restart PostgreSQL during writes",
            attempts["sent"],
            lost,
            f"accepted {len(accepted)}, found {found}, refusals {dict(refusals)}",
            lost == 0 and not bad and len(accepted) > 0,
        )

    def two_schedulers(self) -> Row:
        env = {
            **self.env,
            "RAVABET_DEMANDS_TICK_SECONDS": "2",
            "RAVABET_PUBLISH_CHECK_SECONDS": "3600",
            "RAVABET_OUTBOX_CHECK_SECONDS": "3600",
        }
        sql_ticks = (
            "SELECT count(*) FROM django_tasks_database_dbtaskresult "
            "WHERE task_path = 'ravabet.demands.tasks.tick'"
        )
        sql_windows = (
            "SELECT count(*) FROM network_sharedcounter "
            "WHERE key LIKE 'ctr:once:sched:ravabet.demands.tasks.tick:%'"
        )
        before = int(self.cluster.psql(self.cluster.primary_port, sql_ticks, database="ravabet"))
        windows_before = int(
            self.cluster.psql(self.cluster.primary_port, sql_windows, database="ravabet")
        )
        schedulers = [
            subprocess.Popen(
                [sys.executable, "-m", "ravabet.cli", "scheduler"],
                env=env,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
            for _ in range(2)
        ]
        time.sleep(20)
        for process in schedulers:
            process.send_signal(signal.SIGTERM)
        for process in schedulers:
            process.wait(timeout=30)
        ticks = (
            int(self.cluster.psql(self.cluster.primary_port, sql_ticks, database="ravabet"))
            - before
        )
        windows = (
            int(self.cluster.psql(self.cluster.primary_port, sql_windows, database="ravabet"))
            - windows_before
        )
        return Row(
            "two schedulers at once (tick every 2 s, 20 s)",
            ticks,
            max(0, ticks - windows),
            f"{ticks} ticks enqueued in {windows} windows",
            ticks == windows and ticks >= 5,
        )


def table(rows: list[Row]) -> str:
    lines = [
        "| scenario | requests/attempts | failed (5xx, errors, lost, extra) | observed | pass |",
        "|---|---:|---:|---|---|",
    ]
    for row in rows:
        lines.append(
            f"| {row.scenario} | {row.requests} | {row.failed} | {row.observed} | "
            f"{'yes' if row.passed else 'NO'} |"
        )
    return "\n".join(lines)


def serve(bench: Bench) -> None:
    """`--serve`: start the set-up and keep it running until Ctrl+C (deploy/rehearse.sh)."""
    bench.setup()
    print(
        f"\nRavabet behind nginx: {bench.base}/\n"
        f"  app servers:      {', '.join(s.base_url for s in bench.servers)}\n"
        f"  PostgreSQL:       primary {bench.cluster.primary_url}\n"
        f"                    replica {bench.cluster.replica_url}\n"
        f"  Redis:            redis://127.0.0.1:{bench.redis_port}/0\n"
        f"  metrics:          {bench.servers[0].base_url}/metrics (from this machine)\n"
        f"  folder:           {bench.root}\n"
        "Ctrl+C stops everything.",
        flush=True,
    )
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        pass


def main() -> int:
    missing = [
        name
        for name, ok in (
            ("PostgreSQL server binaries", bin_dir() is not None),
            ("redis-server", shutil.which("redis-server") is not None),
            ("nginx", shutil.which("nginx") is not None or Path("/usr/sbin/nginx").exists()),
        )
        if not ok
    ]
    if missing:
        print(f"missing: {', '.join(missing)} (run ./dev deps)")
        return 2
    bench = Bench()
    if "--serve" in sys.argv[1:]:
        try:
            serve(bench)
        finally:
            bench.teardown()
        return 0
    rows: list[Row] = []
    try:
        bench.setup()
        for scenario in (
            bench.stop_replica,
            bench.stop_redis,
            bench.two_schedulers,
            bench.restart_primary,
            bench.kill_app_server,
        ):
            print(f"… {scenario.__name__}", flush=True)
            try:
                rows.append(scenario())
            except Exception as exc:  # one broken scenario does not hide the others' rows
                rows.append(
                    Row(scenario.__name__, 0, 0, f"error: {type(exc).__name__}: {exc}", False)
                )
    finally:
        bench.teardown()
    print(f"\nload average {os.getloadavg()[0]:.1f}; {os.cpu_count()} cores\n")
    print(table(rows))
    print(json.dumps([row.__dict__ for row in rows], ensure_ascii=False))
    return 0 if all(row.passed for row in rows) else 1


if __name__ == "__main__":
    raise SystemExit(main())
