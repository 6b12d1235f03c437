"""The shared .ics and PDF renderers: what they write reads back (icalendar, pdftotext)."""

from __future__ import annotations

import os
import shutil
import subprocess
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from icalendar import Calendar

from ravabet.network import ics, pdf

TEHRAN = ZoneInfo("Asia/Tehran")


def test_a_calendar_parses_back_with_persian_text_and_utc_times():
    start = datetime(2026, 5, 17, 10, 0, tzinfo=TEHRAN)  # 27 Ordibehesht 1405
    body = ics.calendar(
        [
            ics.Event(
                uid=ics.uid("council-meeting", 7),
                start=start,
                end=start + timedelta(hours=2),
                summary="جلسه شماره ۱۲ شورای هماهنگی روابط عمومی‌ها",
                location="بخشداری کهریزک، سالن اجتماعات",
                description="دستور جلسه: پیگیری مصوبات؛ هفته روابط عمومی",
                sequence=2,
            )
        ],
        name="جلسات من",
    )
    cal = Calendar.from_ical(body)
    (event,) = cal.walk("VEVENT")
    assert str(event["summary"]) == "جلسه شماره ۱۲ شورای هماهنگی روابط عمومی‌ها"
    assert str(event["location"]) == "بخشداری کهریزک، سالن اجتماعات"
    assert event.decoded("dtstart") == start  # same instant, written in UTC
    assert event.decoded("dtstart").utcoffset() == timedelta(0)
    assert int(event["sequence"]) == 2 and str(event["status"]) == "CONFIRMED"
    assert str(cal["x-wr-calname"]) == "جلسات من"
    assert all(len(line) <= 75 for line in body.split(b"\r\n"))  # RFC 5545 folding


def test_a_cancelled_invitation_says_so():
    start = datetime(2026, 5, 17, 10, 0, tzinfo=TEHRAN)
    text = ics.invitation(
        ics.Event(uid="x@y", start=start, end=start, summary="لغو شد", cancelled=True, sequence=1)
    )
    cal = Calendar.from_ical(text)
    assert str(cal["method"]) == "CANCEL"
    assert str(cal.walk("VEVENT")[0]["status"]) == "CANCELLED"


def test_the_pdf_embeds_vazirmatn_and_its_persian_text_extracts_in_order(tmp_path):
    if not shutil.which("pdftotext"):
        if os.environ.get("CI"):
            pytest.fail("pdftotext (poppler-utils) is missing: ./dev deps installs it")
        pytest.skip("pdftotext (poppler-utils) is not installed")
    assert pdf.font_dir() is not None, "Vazirmatn TTF files missing: run ./dev install"
    data = pdf.render(
        "network/pdf/sample.html",
        {
            "title": "صورتجلسه شماره ۱۲",
            "lines": ["مصوبه یکم: برگزاری دوره آموزشی", "حاضران: ۱۴ نفر"],
        },
    )
    assert data.startswith(b"%PDF")
    out = tmp_path / "x.pdf"
    out.write_bytes(data)
    fonts = subprocess.run(["pdffonts", str(out)], capture_output=True, text=True, check=True)
    assert "Vazirmatn" in fonts.stdout  # the font is embedded, not substituted
    text = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", str(out), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "صورتجلسه" in text and "مصوبه" in text and "آموزشی" in text
    assert text.index("صورتجلسه") < text.index("مصوبه") < text.index("حاضران")
