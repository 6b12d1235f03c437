"""The newsroom's pages against nginx, side by side in one run (issue 3's performance figures).

    .venv/bin/python bench/news_pages.py --items 100000 --offices 50 --duration 5

Builds a fresh SQLite archive (the demo plus `--items` news recombined from the real articles in
../shared/data/news, over `--offices` offices: bench/news_corpus.py), then measures with wrk on
loopback (`--connections`, default 32):
  ravabet cached    the news page and an office home from the page cache (2 granian workers),
                    answered by the WSGI fast path (CSRF token and captcha filled per response)
  ravabet uncached  the same pages with RAVABET_PAGE_CACHE_SECONDS=0: every request runs the
                    view, reads the database and renders the page around its cached parts
                    (the news item's article under its own version, cards per item, the lists
                    beside the article under the page version: docs/news.md)
  no caches         also RAVABET_FRAGMENT_CACHE_SECONDS=0: every part rendered on every request
  nginx+micro       nginx in front of the cached server as a 1-second micro-cache (docs/news.md)
  nginx             nginx serving the same HTML saved as static files: the machine's limit
and prints one table with req/s, p50/p99 and the ratio to nginx.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent / "src"))

from harness import Result, nginx_serving, table, wrk  # noqa: E402

from ravabet.liveserver import LiveServer, descendants, free_port  # noqa: E402

_MICRO_CONF = """\
worker_processes 2;
pid {root}/nginx.pid;
error_log {root}/error.log warn;
events {{ worker_connections 1024; }}
http {{
    access_log off;
    client_body_temp_path {root}/tmp/body;
    proxy_temp_path {root}/tmp/proxy;
    fastcgi_temp_path {root}/tmp/fastcgi;
    uwsgi_temp_path {root}/tmp/uwsgi;
    scgi_temp_path {root}/tmp/scgi;
    proxy_cache_path {root}/cache keys_zone=ravabet:10m max_size=200m inactive=10s;
    server {{
        listen 127.0.0.1:{port};
        location / {{
            proxy_pass http://127.0.0.1:{upstream};
            proxy_set_header Host $http_host;
            proxy_http_version 1.1;
            proxy_set_header Connection "";
            proxy_cache ravabet;
            proxy_cache_use_stale updating;
            proxy_cache_background_update on;
            proxy_cache_bypass $cookie_sessionid;
            proxy_no_cache $cookie_sessionid;
        }}
    }}
}}
"""


def _get(url: str) -> tuple[str, bytes]:
    with urllib.request.urlopen(url) as response:
        return response.geturl(), response.read()


def _micro_cache(upstream: int):
    root = Path(tempfile.mkdtemp(prefix="ravabet-micro-"))
    (root / "tmp").mkdir()
    port = free_port()
    (root / "nginx.conf").write_text(_MICRO_CONF.format(root=root, port=port, upstream=upstream))
    for folder, _dirs, _files in os.walk(root):
        os.chmod(folder, 0o777)
    nginx = shutil.which("nginx") or "/usr/sbin/nginx"
    process = subprocess.Popen(
        [nginx, "-c", str(root / "nginx.conf"), "-p", str(root), "-g", "daemon off;"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    time.sleep(0.5)
    return process, root, f"http://127.0.0.1:{port}"


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument("--items", type=int, default=2000)
    parser.add_argument("--offices", type=int, default=50)
    parser.add_argument("--duration", type=float, default=5)
    parser.add_argument("--connections", type=int, default=32)
    args = parser.parse_args()

    started = time.monotonic()
    server = LiveServer.prepare(demo=True)
    subprocess.run(
        [sys.executable, str(HERE / "news_corpus.py"), "load", "--items", str(args.items),
         "--offices", str(args.offices)],
        env=server.env, check=True,
    )  # fmt: skip
    server.serve(workers=2)
    print(f"# archive and server ready in {time.monotonic() - started:.0f} s", file=sys.stderr)
    _, office_html = _get(server.url("/bench-007/"))
    code = re.search(rb'href="/news/(\d+)/', office_html).group(1).decode()
    news_url, _ = _get(server.url(f"/news/{code}/"))
    paths = {"news page": news_url.split(str(server.port), 1)[1], "office home": "/bench-007/"}
    results: list[Result] = []
    pages: dict[str, bytes] = {}
    common = {"duration": args.duration, "connections": args.connections, "threads": 2}
    try:
        for name, path in paths.items():
            for _ in range(6):  # every worker process warm
                _, pages[path] = _get(server.url(path))
            results.append(
                wrk(server.url(path), pids=server.pids, label="ravabet", target=name, **common)
            )
        micro, root, base = _micro_cache(server.port)
        try:
            for name, path in paths.items():
                results.append(
                    wrk(
                        base + path,
                        pids=lambda: descendants(micro.pid) + server.pids(),
                        label="nginx+micro",
                        target=name,
                        **common,
                    )
                )
        finally:
            micro.terminate()
            micro.wait(timeout=10)
            shutil.rmtree(root, ignore_errors=True)
    finally:
        server.stop()
    uncached = LiveServer(
        folder=server.folder,
        port=free_port(),
        env={**server.env, "RAVABET_PAGE_CACHE_SECONDS": "0"},
        owns_folder=False,
    )
    uncached.serve(workers=2)
    try:
        for name, path in paths.items():
            for _ in range(6):  # every worker's fragments warm
                _get(uncached.url(path))
            results.append(
                wrk(uncached.url(path), pids=uncached.pids, label="uncached", target=name, **common)
            )
    finally:
        uncached.stop()
    cold = LiveServer(
        folder=server.folder,
        port=free_port(),
        env={
            **server.env,
            "RAVABET_PAGE_CACHE_SECONDS": "0",
            "RAVABET_FRAGMENT_CACHE_SECONDS": "0",
        },
        owns_folder=False,
    )
    cold.serve(workers=2)
    try:
        for name, path in paths.items():
            results.append(
                wrk(cold.url(path), pids=cold.pids, label="no caches", target=name, **common)
            )
    finally:
        cold.stop()
    baseline: dict[str, Result] = {}
    # nginx serves the same bytes under short paths (a Persian slug percent-encoded is longer
    # than a file name may be).
    saved = {f"/page-{n}/": pages[path] for n, path in enumerate(paths.values())}
    with nginx_serving(saved) as (base, pids):
        for (name, _path), short in zip(paths.items(), saved, strict=True):
            baseline[name] = wrk(base + short, pids=pids, label="nginx", target=name, **common)
    print(
        f"# {args.items} news items over {args.offices} offices (+ the demo), SQLite, "
        f"wrk -t2 -c{args.connections} -d{args.duration:g}s; news page {paths['news page']}"
    )
    print(table(results + list(baseline.values()), baseline))
    server.close()


if __name__ == "__main__":
    main()
