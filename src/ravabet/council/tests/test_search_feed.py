"""The council's documents in the search app: public decisions and held public meetings only,
kept in step with the rows by signals (issue 14: the register is searchable)."""

from __future__ import annotations

import pytest

from ravabet.council import models as m
from ravabet.council import search_feed
from ravabet.search import selectors as search
from ravabet.search.models import SearchDocument
from ravabet.search.registry import sources

from . import pubfactory as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def rows(offices):
    c = f.council(offices["root"], code="ILM", name_fa="شورای هماهنگی استان")
    held = f.meeting(c, offices["gov"], number=4, title="هماهنگی هفته روابط عمومی")
    f.approved_minutes(held, "", {"برنامه هفته": "ویژه‌برنامه‌ها تقسیم شد."})
    public = f.decision(held, offices["gov"], number=1, text="برگزاری نمایشگاه دستاوردها")
    internal = f.decision(held, offices["gov"], number=2, text="بودجه نمایشگاه", public=False)
    return {"council": c, "held": held, "public": public, "internal": internal}


def docs(source: str) -> set[str]:
    return set(SearchDocument.objects.filter(source=source).values_list("key", flat=True))


def test_index_now_takes_what_readers_see(rows):
    search_feed.index_now()
    assert docs(search_feed.DECISION_SOURCE) == {str(rows["public"].pk)}
    assert docs(search_feed.MEETING_SOURCE) == {str(rows["held"].pk)}
    page = search.search("نمایشگاه دستاوردها")
    assert [r.url for r in page.results] == ["/councils/decisions/ILM-4-1/"]
    meeting = search.search("ویژه‌برنامه‌ها")
    assert meeting.results[0].url == f"/councils/meetings/{rows['held'].pk}/"


def test_registered_for_rebuilds(rows):
    source = next(s for s in sources() if s.name == "council")
    assert source.count() == 2
    assert {d.source for d in source.documents()} == {
        search_feed.DECISION_SOURCE,
        search_feed.MEETING_SOURCE,
    }


def test_signals_follow_the_rows(rows, monkeypatch, django_capture_on_commit_callbacks):
    indexed, removed = [], []
    monkeypatch.setattr(search_feed, "schedule_index", lambda doc: indexed.append(doc.key))
    monkeypatch.setattr(search_feed, "schedule_remove", lambda s, k: removed.append((s, k)))
    with django_capture_on_commit_callbacks(execute=True):
        rows["internal"].is_public = True
        rows["internal"].save()
    assert indexed == [str(rows["internal"].pk)]
    with django_capture_on_commit_callbacks(execute=True):
        rows["public"].is_public = False
        rows["public"].save()
    assert (search_feed.DECISION_SOURCE, str(rows["public"].pk)) in removed
    indexed.clear()
    with django_capture_on_commit_callbacks(execute=True):
        f.report(rows["internal"], percent=50, note="غرفه‌ها آماده شد")
    assert indexed == [str(rows["internal"].pk)]
    removed.clear()
    with django_capture_on_commit_callbacks(execute=True):
        rows["council"].is_public = False
        rows["council"].save()
    assert (search_feed.MEETING_SOURCE, str(rows["held"].pk)) in removed


def test_paused_while_loading(rows, monkeypatch, django_capture_on_commit_callbacks):
    calls = []
    monkeypatch.setattr(search_feed, "schedule_index", lambda doc: calls.append(doc))
    with django_capture_on_commit_callbacks(execute=True), search_feed.paused():
        f.decision(rows["held"], rows["held"].host_office, number=9)
    assert calls == []


def test_a_follow_up_note_is_searchable(rows):
    f.report(rows["public"], percent=60, note="غرفه استان‌ها چیده شد")
    search_feed.index_now(decisions=[rows["public"].pk], meetings=[])
    assert [r.key for r in search.search("غرفه").results] == [str(rows["public"].pk)]
    assert m.Decision.objects.count() == 2
