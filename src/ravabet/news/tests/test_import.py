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
