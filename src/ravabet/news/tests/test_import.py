"""`ravabet import-news`: idempotent by source_id, bad lines reported, never a crash."""

from __future__ import annotations

import io
import json

import pytest
from django.core.management import CommandError, call_command

from ravabet.cli import main
from ravabet.news.models import NewsItem

pytestmark = pytest.mark.django_db


def _write(tmp_path, lines):
    path = tmp_path / "news.jsonl"
    path.write_text("\n".join(lines), encoding="utf-8")
    return path


def test_import_twice_changes_nothing_and_reports_bad_lines(tmp_path, offices):
    good = {
        "title": "خبر بایگانی",
        "lead": "لید",
        "body": "<p>متن</p><script>x</script>",
        "tags": ["بایگانی"],
        "group": "council",
        "published_at": "2024-05-16T10:30:00+03:30",
        "source_id": "old-1",
    }
    lines = [
        json.dumps(good, ensure_ascii=False),
        "{not json",
        json.dumps({"title": ""}),
        json.dumps({"title": "بی‌دفتر", "office": "nowhere"}, ensure_ascii=False),
        json.dumps({"title": "تاریخ بد", "published_at": "yesterday"}, ensure_ascii=False),
        json.dumps([1, 2]),
    ]
    path = _write(tmp_path, lines)
    out, err = io.StringIO(), io.StringIO()
    call_command("import_news", str(path), office="ilam-gov", stdout=out, stderr=err)
    assert "imported 1" in out.getvalue() and "bad lines 5" in out.getvalue()
    for number in (2, 3, 4, 5, 6):
        assert f"line {number}:" in err.getvalue()
    item = NewsItem.objects.get()
    assert item.status == "published" and item.group.slug == "council"
    assert "<script" not in item.body
    assert item.published_at.year == 2024
    out = io.StringIO()
    call_command("import_news", str(path), office="ilam-gov", stdout=out, stderr=io.StringIO())
    assert "imported 0, already there 1" in out.getvalue()
    assert NewsItem.objects.count() == 1


def test_the_command_line_spells_it_import_news(capsys):
    with pytest.raises(SystemExit) as exit_info:
        main(["import-news", "--help"])
    assert exit_info.value.code == 0
    assert "JSON Lines" in capsys.readouterr().out


def test_unknown_office_option_is_a_clear_error(tmp_path, offices):
    path = _write(tmp_path, ["{}"])
    with pytest.raises(CommandError, match="No office"):
        call_command("import_news", str(path), office="nowhere")


def _line(**fields) -> str:
    return json.dumps(fields, ensure_ascii=False)


def test_a_database_error_costs_one_line_and_the_finish_still_runs(tmp_path, offices):
    """Issue 11, item 5: a second translation of one item is refused by the database (one-to-one
    `translation_of`); the import records that line, goes on, then indexes and audits."""
    from ravabet.network.models import AuditEvent
    from ravabet.search.models import SearchDocument

    lines = [
        _line(title="خبر اصلی درباره سیلاب", source_id="a", published_at="2024-01-01T10:00:00"),
        _line(title="Flood news", language="en", translation_of="a", source_id="b"),
        _line(title="Flood news again", language="en", translation_of="a", source_id="c"),
        _line(title="خبر پس از خطا درباره سیلاب", source_id="d"),
    ]
    out, err = io.StringIO(), io.StringIO()
    path = _write(tmp_path, lines)
    call_command("import_news", str(path), office="ilam-gov", stdout=out, stderr=err)
    assert "imported 3" in out.getvalue() and "bad lines 1" in out.getvalue()
    assert "line 3:" in err.getvalue() and "database" in err.getvalue()
    assert set(NewsItem.objects.values_list("source_id", flat=True)) == {"a", "b", "d"}
    indexed = set(SearchDocument.objects.filter(source="news").values_list("title", flat=True))
    assert "خبر پس از خطا درباره سیلاب" in indexed and len(indexed) == 3
    assert AuditEvent.objects.filter(action="news.import").count() == 1


def test_the_finish_runs_when_the_import_is_cut_short(offices, monkeypatch):
    from ravabet.news import importer
    from ravabet.search.models import SearchDocument

    real_add = importer.Importer._add

    def add(self, obj):
        if obj["title"] == "قطع":
            raise RuntimeError("the disk went away")
        return real_add(self, obj)

    monkeypatch.setattr(importer.Importer, "_add", add)
    with pytest.raises(RuntimeError):
        importer.import_lines(
            [_line(title="پیش از قطع", source_id="x"), _line(title="قطع")], offices["gov"]
        )
    assert SearchDocument.objects.filter(source="news", title="پیش از قطع").exists()


def test_an_item_dated_in_the_future_is_scheduled(client, offices):
    from datetime import timedelta

    from django.utils import timezone

    from ravabet.news import importer

    later = (timezone.now() + timedelta(days=2)).replace(microsecond=0)
    report = importer.import_lines(
        [_line(title="خبر فردا", source_id="f", published_at=later.isoformat())], offices["gov"]
    )
    assert report.created == 1
    item = NewsItem.objects.get(source_id="f")
    assert (item.status, item.publish_at, item.published_at) == ("scheduled", later, None)
    assert not item.is_public
    assert client.get(f"/news/{item.code}/").status_code == 404
