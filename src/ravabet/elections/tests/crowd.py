"""A crowd of voters against the real server (`ravabet serve`, two worker processes): every
voter takes the in-room code page, then all post their ballots at the same instant (a barrier
of threads). Used by test_concurrency.py and bench/elections_crowd.py.

With `restart=True` the server is stopped (SIGTERM) after the first half has voted and started
again; the second half then votes, and some of the first half replay their codes.
"""

from __future__ import annotations

import http.cookiejar
import json
import re
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from ravabet.liveserver import LiveServer, ravabet

SETUP = r"""
import json
from datetime import timedelta
from django.utils import timezone
from django.contrib.auth import get_user_model
from ravabet.council.models import Council, Seat, Term
from ravabet.network.models import Membership, Office
from ravabet.elections import services
from ravabet.elections.models import Election

N = {voters}
now = timezone.now()
User = get_user_model()
root = Office.objects.create(slug="crowd-dir", kind="directorate", name_fa="روابط عمومی")
manager = User.objects.create_user("crowd-secretary", password="x" * 20)
Membership.objects.create(user=manager, office=root, role="manager")
council = Council.objects.create(office=root, name_fa="شورا", slug="crowd", code="CRW")
term = Term.objects.create(council=council, number=1, start=now.date())
offices = Office.objects.bulk_create(
    [Office(slug=f"crowd-{{i}}", kind="agency", name_fa=f"دستگاه {{i}}", parent=root, path="/")
     for i in range(N)]
)
for office in offices:
    office.save()  # the materialised path
holders = [User.objects.create_user(f"crowd-pr{{i}}") for i in range(3)]
Seat.objects.bulk_create(
    [Seat(council=council, office=o, position="member", start=now.date(),
          holder=holders[i] if i < 3 else None) for i, o in enumerate(offices)]
)
election = services.create_election(
    manager, council, term, title_fa="انتخابات", mode="in_room",
    opens_at=now - timedelta(minutes=1), closes_at=now + timedelta(hours=1),
)
chair = services.add_position(manager, election, name_fa="رئیس", seats=1, role="chair")
board = services.add_position(manager, election, name_fa="هیأت", seats=2, role="board")
services.open_nominations(manager, election)
lines = {{line.office_id: line for line in election.roll.all()}}
cands = []
for i, position in enumerate([chair, chair, board]):
    line = lines[offices[i].pk]
    c = services.nominate(line.voter, position, line)
    cands.append(services.decide_candidacy(manager, c, approve=True).pk)
services.open_voting(manager, election)
codes = services.issue_codes(manager, election, list(election.roll.all()))
print(json.dumps({{"election": election.pk, "chair": chair.pk, "board": board.pk,
                  "candidates": cands, "codes": list(codes.values())}}))
"""

CHECK = r"""
import json
from ravabet.elections.models import Ballot, Elector, InRoomCode
print(json.dumps({
    "ballots": Ballot.objects.count(),
    "receipts": Ballot.objects.values("receipt").distinct().count(),
    "voted": Elector.objects.filter(has_voted=True).count(),
    "codes_used": InRoomCode.objects.filter(used=True).count(),
}))
"""

TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
RECEIPT = re.compile(r'class="receipt" dir="ltr">([A-Z0-9-]+)<')


@dataclass
class Report:
    voters: int
    database: str
    statuses: Counter = field(default_factory=Counter)
    receipts: set[str] = field(default_factory=set)
    replays: Counter = field(default_factory=Counter)
    stored: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0


def _voter(server: LiveServer, setup: dict[str, Any], code: str, barrier: threading.Barrier,
           out: list[tuple[int, str]]) -> None:  # fmt: skip
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    url = server.url(f"/elections/{setup['election']}/code/")
    page = opener.open(url, timeout=120).read().decode()
    token = TOKEN.search(page)
    chair, board, cands = setup["chair"], setup["board"], setup["candidates"]
    data = urllib.parse.urlencode(
        {
            "csrfmiddlewaretoken": token.group(1) if token else "",
            "code": code,
            f"p{chair}": str(cands[len(out) % 2]),
            f"p{board}": str(cands[2]),
        }
    ).encode()
    try:
        barrier.wait(timeout=120)
    except threading.BrokenBarrierError:
        pass
    request = urllib.request.Request(url, data=data, headers={"Referer": url})  # noqa: S310
    try:
        with opener.open(request, timeout=300) as response:
            body = response.read().decode()
            status = response.status
    except urllib.error.HTTPError as error:
        status, body = error.code, error.read().decode(errors="replace")
    found = RECEIPT.search(body)
    out.append((status, found.group(1) if found else ""))


def _wave(server: LiveServer, setup: dict[str, Any], codes: list[str]) -> list[tuple[int, str]]:
    out: list[tuple[int, str]] = []
    barrier = threading.Barrier(len(codes))
    threads = [
        threading.Thread(target=_voter, args=(server, setup, code, barrier, out)) for code in codes
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return out


def run_crowd(voters: int = 200, *, database_url: str = "", restart: bool = False) -> Report:
    """Set up an in-room election with `voters` codes on a fresh database, let them all vote at
    once (in two waves around a restart, if asked), and read back what was stored."""
    env = {"DATABASE_URL": database_url} if database_url else None
    server = LiveServer.prepare(demo=False, env=env)
    report = Report(voters=voters, database="PostgreSQL" if database_url else "SQLite")
    try:
        setup = json.loads(
            ravabet("shell", "-c", SETUP.format(voters=voters), env=server.env)
            .strip()
            .splitlines()[-1]
        )
        codes: list[str] = setup["codes"]
        server.serve(workers=2, timeout=300)
        started = time.monotonic()
        if restart:
            half = voters // 2
            results = _wave(server, setup, codes[:half])
            server.stop()
            server.serve(workers=2, timeout=300)
            results += _wave(server, setup, codes[half:])
            replays = _wave(server, setup, codes[: min(10, half)])
            report.replays.update(status for status, _receipt in replays)
        else:
            results = _wave(server, setup, codes)
        report.seconds = time.monotonic() - started
        report.statuses.update(status for status, _receipt in results)
        report.receipts = {receipt for _status, receipt in results if receipt}
        report.stored = json.loads(
            ravabet("shell", "-c", CHECK, env=server.env).strip().splitlines()[-1]
        )
    finally:
        server.close()
    return report


def fresh_postgres_database(base_url: str, name: str) -> str:
    """Drop and create database `name` on the server of `base_url`; its URL."""
    import psycopg

    parts = urllib.parse.urlsplit(base_url)
    admin = urllib.parse.urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{name}"')
    return urllib.parse.urlunsplit(parts._replace(path=f"/{name}"))
