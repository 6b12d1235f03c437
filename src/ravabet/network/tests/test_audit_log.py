"""The audit log as a manager reads it (issue 13, item 11): Persian names for every action code,
field and role, values in full, and a filter by person, action and Jalali date."""

from __future__ import annotations

import re
from datetime import timedelta
from pathlib import Path

from django.utils import timezone

from ravabet.conftest import make_staff
from ravabet.network import audit
from ravabet.network.jalali import to_jalali_parts
from ravabet.network.models import AuditEvent
from ravabet.network.services import record


def _table(response) -> str:
    assert response.status_code == 200
    return response.content.decode().split("<tbody>", 1)[1].split("</tbody>", 1)[0]


SRC = Path(__file__).resolve().parents[2]


def _codes_in_source() -> set[str]:
    """Every literal action code passed to record(...) or to news' _transition(audit=...)."""
    codes: set[str] = set()
    for path in SRC.rglob("*.py"):
        if "tests" in path.parts or path.name == "audit.py":
            continue
        text = path.read_text()
        for call in re.finditer(r"record\(\s*[^,]+,\s*\"([a-z_]+\.[a-z_]+)\"", text):
            codes.add(call.group(1))
        for name in re.finditer(r"\n\s+\"([a-z_]+\.[a-z_]+)\",\n\s+request", text):
            codes.add(name.group(1))
    return codes


def test_every_recorded_action_code_has_a_persian_name():
    codes = _codes_in_source()
    assert {"role.grant", "news.photo_add", "demands.refer", "comments.reject"} <= codes
    missing = sorted(code for code in codes if code not in audit.ACTIONS)
    assert missing == []
    for code in codes:
        label = audit.action_label(code)
        assert re.search("[آ-ی]", label), (code, label)  # Persian, not the code


def test_refusals_and_values_read_in_persian():
    assert audit.action_label("denied:office.members") == "ردشده: مدیریت اعضا"
    rows = audit.changes_of({"role": [None, "editor"], "status": ["draft", "review"]})
    assert [(r.label, r.old, r.new) for r in rows] == [
        ("نقش", None, "دبیر"),
        ("وضعیت", "پیش‌نویس", "در انتظار بررسی"),
    ]


def test_a_single_value_is_shown_whole_not_its_first_two_letters():
    alt = "اعضای کارگروه رسانه در نشست"
    (row,) = audit.changes_of({"alt": alt})
    assert (row.label, row.old, row.new) == ("متن جایگزین", None, alt)


def test_audit_page_shows_persian_labels_full_values_and_filters(staff_client, offices):
    client, manager = staff_client("manager", "gov")
    manager.first_name, manager.last_name = "سارا", "احمدی"
    manager.save(update_fields=["first_name", "last_name"])
    gov = offices["gov"]
    alt = "اعضای کارگروه رسانه و فضای مجازی در نشست امروز"
    record(manager, "news.photo_add", office=gov, changes={"alt": alt})
    record(
        manager, "role.grant", office=gov, changes={"user": [None, "x"], "role": [None, "author"]}
    )
    old = record(manager, "news.update", office=gov, changes={"title": ["الف", "ب"]})
    AuditEvent.objects.filter(pk=old.pk).update(at=timezone.now() - timedelta(days=40))

    page = _table(client.get("/staff/ilam-gov/audit/"))
    assert "افزودن عکس" in page and "دادن نقش" in page
    assert alt in page  # whole, not "اع"
    assert "متن جایگزین" in page and "خبرنگار" in page
    assert "سارا احمدی" in page
    assert ">news.photo_add<" not in page

    only_grants = _table(client.get("/staff/ilam-gov/audit/", {"action": "role.grant"}))
    assert "دادن نقش" in only_grants and alt not in only_grants

    y, m, d = to_jalali_parts(timezone.localtime() - timedelta(days=10))
    since = f"{y}/{m:02d}/{d:02d}".translate(str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹"))
    recent = _table(client.get("/staff/ilam-gov/audit/", {"since": since}))
    assert "افزودن عکس" in recent and "ویرایش خبر" not in recent
    y, m, d = to_jalali_parts(timezone.localtime() - timedelta(days=40))
    until = f"{y}/{m:02d}/{d:02d}"
    older = _table(client.get("/staff/ilam-gov/audit/", {"until": until}))
    assert "ویرایش خبر" in older and "افزودن عکس" not in older

    someone = make_staff("someone", gov, "editor")
    record(someone, "news.create", office=gov, changes={"title": "خبر دیگری"})
    theirs = _table(client.get("/staff/ilam-gov/audit/", {"person": someone.pk}))
    assert "نوشتن خبر" in theirs and "دادن نقش" not in theirs
    everyone = client.get("/staff/ilam-gov/audit/").content.decode()
    assert f'<option value="{manager.pk}">سارا احمدی</option>' in everyone

    bad = client.get("/staff/ilam-gov/audit/", {"since": "1405/13/40"})
    assert bad.status_code == 422
    assert "تاریخ را خورشیدی بنویسید" in bad.content.decode()


def test_an_assignee_is_named_not_numbered(offices):
    colleague = make_staff("colleague", offices["gov"], "responder")
    colleague.first_name, colleague.last_name = "رضا", "موسوی"
    colleague.save(update_fields=["first_name", "last_name"])
    event = record(
        None, "demands.assign", office=offices["gov"], changes={"assignee": [None, colleague.pk]}
    )
    (row,) = audit.changes_of(event.changes, audit.people_in([event]))
    assert (row.label, row.new) == ("کارشناس", "رضا موسوی")


def test_a_body_change_reads_as_text_not_tags():
    (row,) = audit.changes_of({"body": ["<p>یک</p>", "<p>یک</p><h2>دو</h2>"]})
    assert (row.old, row.new) == ("یک", "یک\nدو")
