"""The benchmark harness: wrk against a server on loopback, nginx serving saved HTML as the
machine's limit, peak resident memory of the process tree, and one table.

Used by bench/run.py (Ravabet's pages) and bench/serve_compare.py (application servers).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import tempfile
import threading
import time
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from ravabet.liveserver import descendants, free_port, rss_bytes


@dataclass
class Result:
    label: str
    target: str
    requests_per_second: float
    p50_ms: float
    p99_ms: float
    peak_rss_bytes: int
    errors: int = 0


_UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0}


def _ms(value: str) -> float:
    number, unit = re.fullmatch(r"([\d.]+)(us|ms|s)", value.strip()).groups()
    return float(number) * _UNITS[unit]


def parse_wrk(output: str) -> tuple[float, float, float, int]:
    """req/s, p50 ms, p99 ms and non-2xx/socket errors from `wrk --latency` output."""
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))
    p50 = _ms(re.search(r"^\s+50%\s+(\S+)", output, re.M).group(1))
    p99 = _ms(re.search(r"^\s+99%\s+(\S+)", output, re.M).group(1))
    errors = 0
    if match := re.search(r"Non-2xx or 3xx responses:\s+(\d+)", output):
        errors += int(match.group(1))
    if match := re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output
    ):
        errors += sum(int(n) for n in match.groups())
    return rps, p50, p99, errors


class MemorySampler:
    """Samples the summed RSS of a process tree every 100 ms; `peak` after `stop()`."""

    def __init__(self, pids: Callable[[], list[int]]) -> None:
        self._pids = pids
        self.peak = 0
        self._running = True
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while self._running:
            self.peak = max(self.peak, rss_bytes(self._pids()))
            time.sleep(0.1)

    def stop(self) -> int:
        self._running = False
        self._thread.join()
        return self.peak


def wrk(
    url: str,
    *,
    duration: float,
    connections: int,
    threads: int,
    pids: Callable[[], list[int]],
    label: str,
    target: str,
) -> Result:
    """Drive `url` with wrk (after a one-second warm-up) while sampling the server's memory."""
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is missing: run ./dev deps")
    subprocess.run(["wrk", "-t1", "-c4", "-d1s", url], capture_output=True, check=True, timeout=30)
    sampler = MemorySampler(pids)
    done = subprocess.run(
        [
            "wrk", f"-t{threads}", f"-c{connections}", f"-d{duration:g}s",
            "--timeout", "10s", "--latency", url,
        ],
        capture_output=True,
        text=True,
        check=True,
        timeout=duration + 60,
    )  # fmt: skip
    peak = sampler.stop()
    rps, p50, p99, errors = parse_wrk(done.stdout)
    return Result(label, target, rps, p50, p99, peak, errors)


_NGINX_CONF = """\
worker_processes {workers};
pid {root}/nginx.pid;
error_log {root}/error.log warn;
events {{ worker_connections 1024; }}
http {{
    access_log off;
    default_type text/html;
    charset utf-8;
    client_body_temp_path {root}/tmp/body;
    proxy_temp_path {root}/tmp/proxy;
    fastcgi_temp_path {root}/tmp/fastcgi;
    uwsgi_temp_path {root}/tmp/uwsgi;
    scgi_temp_path {root}/tmp/scgi;
    server {{
        listen 127.0.0.1:{port};
        root {root}/html;
        location / {{ try_files $uri $uri/index.html =404; }}
    }}
}}
"""


@contextmanager
def nginx_serving(pages: dict[str, bytes], workers: int = 2) -> Iterator[tuple[str, Callable]]:
    """nginx on a free loopback port serving each page's saved HTML at the same path.

    Yields the base URL and a function that lists nginx's processes.
    """
    nginx = shutil.which("nginx") or "/usr/sbin/nginx"
    if not Path(nginx).exists():
        raise SystemExit("nginx is missing: run ./dev deps")
    root = Path(tempfile.mkdtemp(prefix="ravabet-nginx-"))
    try:
        (root / "tmp").mkdir()
        for path, body in pages.items():
            target = root / "html" / path.lstrip("/") / "index.html"
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(body)
        # nginx started by root serves as `nobody`: the saved pages must be readable by all.
        for folder, _dirs, files in os.walk(root):
            os.chmod(folder, 0o755)
            for name in files:
                os.chmod(Path(folder) / name, 0o644)
        port = free_port()
        conf = root / "nginx.conf"
        conf.write_text(_NGINX_CONF.format(workers=workers, root=root, port=port))
        process = subprocess.Popen(
            [nginx, "-c", str(conf), "-p", str(root), "-g", "daemon off;"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        base = f"http://127.0.0.1:{port}"
        for _ in range(100):
            try:
                urllib.request.urlopen(base + next(iter(pages)), timeout=1).read()
                break
            except OSError:
                if process.poll() is not None:
                    raise RuntimeError(f"nginx failed: {process.stderr.read().decode()}") from None
                time.sleep(0.05)
        try:
            yield base, lambda: descendants(process.pid)
        finally:
            process.terminate()
            process.wait(timeout=10)
    finally:
        shutil.rmtree(root, ignore_errors=True)


def table(results: list[Result], baseline: dict[str, Result]) -> str:
    """One table: each result beside the baseline (nginx) of the same target."""
    header = (
        f"{'page':<22} {'server':<10} {'req/s':>9} {'p50 ms':>8} {'p99 ms':>8}"
        f" {'÷ nginx':>8} {'peak RSS':>9}"
    )
    lines = [header, "-" * len(header)]
    for result in results:
        base = baseline.get(result.target)
        ratio = f"{result.requests_per_second / base.requests_per_second:.3f}" if base else "—"
        errors = f"  ({result.errors} errors)" if result.errors else ""
        lines.append(
            f"{result.target:<22} {result.label:<10} {result.requests_per_second:>9,.0f} "
            f"{result.p50_ms:>8.2f} {result.p99_ms:>8.2f} {ratio:>8} "
            f"{result.peak_rss_bytes / 2**20:>7.0f}MB{errors}"
        )
    return "\n".join(lines)
