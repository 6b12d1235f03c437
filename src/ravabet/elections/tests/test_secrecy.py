"""Secrecy by design: nothing in the schema joins a voter to a ballot, and after a 50-voter
election nothing Ravabet wrote (rows, ids, physical order, audit events, log lines) tells the
order in which ballots were cast."""

from __future__ import annotations

import logging
import random

import pytest
from django.apps import apps
from django.db import DatabaseError, connection, models
from django.test.utils import CaptureQueriesContext

from ravabet.network.models import AuditEvent

from .. import services
from ..apps import SECRET_TABLES
from ..models import Ballot, Election, Elector, InRoomCode
from .helpers import build, choices


def test_no_relation_of_the_schema_reaches_a_ballot_from_a_voter():
    """The ballot holds only its random id, the election, a random receipt and the choices;
    no model points at a ballot; the roll and the codes meet the ballots only at the election,
    a one-to-many join on both sides (a cross product, never a pairing)."""
    fields = {f.name: f for f in Ballot._meta.get_fields()}
    assert set(fields) == {"id", "election", "receipt", "choices"}
    assert isinstance(fields["id"], models.UUIDField)
    assert fields["election"].related_model is Election
    for field in fields.values():
        assert not isinstance(field, models.DateField | models.TimeField | models.DurationField)
        assert not isinstance(field, models.GenericIPAddressField | models.AutoField)
    # Nothing in the whole project points at a ballot (no reverse relation, no generic key).
    for model in apps.get_models():
        for field in model._meta.get_fields():
            if field.is_relation and field.related_model is Ballot:
                assert model is Election and field.one_to_many, (model, field.name)
    # The roll and the codes: their relations lead to offices, users, the election and each
    # other — never to a ballot — and the election holds no relation to either side's rows.
    for model in (Elector, InRoomCode):
        for field in model._meta.get_fields():
            if field.is_relation and field.many_to_one:
                assert field.related_model is not Ballot
    for field in Election._meta.get_fields():
        if field.is_relation and field.related_model in (Ballot, Elector, InRoomCode):
            assert field.one_to_many, field.name  # reverse accessors only
    # The roll holds "has voted" and nothing that changes with time.
    roll_fields = {f.name for f in Elector._meta.concrete_fields}
    assert roll_fields == {"id", "election", "office", "voter", "is_proxy", "has_voted"}


@pytest.mark.django_db
def test_sqlite_ballots_have_no_rowid():
    if connection.vendor != "sqlite":
        pytest.skip("SQLite only")
    build(voters=5)
    with pytest.raises(DatabaseError), connection.cursor() as cursor:
        cursor.execute("SELECT rowid FROM elections_ballot")


def kendall_tau(order: list[str], other: list[str]) -> float:
    """Rank agreement of two orders of the same items: 1 same, -1 reversed, ~0 unrelated."""
    rank = {item: i for i, item in enumerate(other)}
    seq = [rank[item] for item in order]
    n = len(seq)
    concordant = sum(1 if seq[i] < seq[j] else -1 for i in range(n) for j in range(i + 1, n))
    return concordant / (n * (n - 1) / 2)


def column(sql: str, params: list | None = None) -> list:
    with connection.cursor() as cursor:
        cursor.execute(sql, params or [])
        return [row[0] for row in cursor.fetchall()]


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_after_50_voters_nothing_written_tells_the_order_of_voting(caplog):
    s = build(voters=50, mode=Election.Mode.IN_ROOM, prefix="s")
    election = s.election
    # Half the votes by in-room code, half signed in.
    codes = services.issue_codes(s.manager, election, s.electors[:25])
    audit_before = AuditEvent.objects.count()
    rng = random.Random(1405)
    order = list(range(50))
    rng.shuffle(order)
    keys = ["b1", "b2", "b3"]
    receipts: list[str] = []  # in the order of voting
    caplog.set_level(logging.DEBUG)
    caplog.set_level(logging.DEBUG, logger="django")
    caplog.set_level(logging.DEBUG, logger="django.db.backends")
    # Force Django's SQL log on, as DEBUG=True would: the app's filter must keep it clean too.
    with CaptureQueriesContext(connection):
        for i in order:
            ballot = choices(
                s, rng.choice(["c1", "c2", None]), rng.sample(keys, rng.randint(0, 2)) or None
            )
            if i < 25:
                receipts.append(services.cast_by_code(election, codes[s.electors[i].pk], ballot))
            else:
                receipts.append(services.cast_by_user(election, s.voter(i), ballot))
    assert len(set(receipts)) == 50
    sql_logged = [r for r in caplog.records if r.name == "django.db.backends"]
    assert sql_logged, "the SQL log was on: other queries (sessions, offices) are in it"

    voted_ids = {str(b) for b in Ballot.objects.values_list("id", flat=True)}
    secrets_written = set(receipts) | voted_ids | {v.replace("-", "") for v in voted_ids}

    # 1. No audit event while voting: votes are never audited.
    assert AuditEvent.objects.count() == audit_before
    # 2. No log line, of any logger at any level, names a receipt or a ballot id, nor a voter.
    voters = {s.voter(i).username for i in range(50)}
    for record_ in caplog.records:
        message = record_.getMessage()
        if any(table in message for table in SECRET_TABLES):  # filtered out of the SQL log
            pytest.fail(f"SQL on the voting tables reached the log: {message[:200]}")
        assert not any(secret in message for secret in secrets_written), message
        assert not any(name in message for name in voters), message

    # During voting on PostgreSQL the one-transaction rule pairs each ballot with its roll line
    # by the transaction id (xmin): the residual risk docs/elections.md names. Closing removes it.
    if connection.vendor == "postgresql":
        ballot_xmins = set(column("SELECT xmin::text FROM elections_ballot"))
        roll_xmins = set(column("SELECT xmin::text FROM elections_elector WHERE has_voted"))
        assert ballot_xmins == roll_xmins and len(ballot_xmins) == 50

    election.refresh_from_db()
    services.close_voting(s.manager, election, now=election.closes_at)

    # 3. Every order the database can give the ballots is the order of a random key.
    by_id = column("SELECT receipt FROM elections_ballot ORDER BY id")
    orders = {
        "physical scan": column("SELECT receipt, choices FROM elections_ballot"),
        "by id": by_id,
        "by receipt": column("SELECT receipt FROM elections_ballot ORDER BY receipt"),
        "by choices": column("SELECT receipt FROM elections_ballot ORDER BY choices, id"),
    }
    if connection.vendor == "postgresql":
        orders["ctid"] = column("SELECT receipt FROM elections_ballot ORDER BY ctid")
        assert orders["ctid"] == by_id  # CLUSTER rewrote the table in random-key order
        assert len(set(column("SELECT xmin::text FROM elections_ballot"))) == 1
        assert len(set(column("SELECT xmin::text FROM elections_elector"))) == 1
        assert column("SELECT id FROM elections_elector ORDER BY ctid") == sorted(
            column("SELECT id FROM elections_elector")
        )
    else:
        assert orders["physical scan"] == by_id  # WITHOUT ROWID: stored in random-key order
    for name, found in orders.items():
        assert sorted(found) == sorted(receipts)
        tau = kendall_tau(receipts, found)
        # Unrelated orders of 50 items: |tau| has a standard deviation of about 0.1.
        assert abs(tau) < 0.5, f"{name}: tau {tau:.2f} against the order of voting"

    # 4. The roll and the codes changed only in booleans: their ids are in roll order, and the
    # audit events of the close name no voter or ballot.
    assert not Elector.objects.filter(has_voted=False).exists()
    assert InRoomCode.objects.filter(used=True).count() == 25
    for event in AuditEvent.objects.filter(action__startswith="elections."):
        dumped = f"{event.changes} {event.object_repr} {event.object_id}"
        assert not any(secret in dumped for secret in secrets_written)
