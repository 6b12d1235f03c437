"""`create_draft_from`: another app (the council) prepares a draft for an office's newsroom."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied

from ravabet.network.models import AuditEvent
from ravabet.news import services
from ravabet.news.models import NewsItem

pytestmark = pytest.mark.django_db


def _data() -> services.NewsData:
    return services.NewsData(
        title="برگزاری نخستین نشست شوراي هماهنگی",  # Arabic yeh on purpose
        lead="نخستین نشست شورا برگزار شد.",
        body="<p>متن صورتجلسه</p><script>x()</script>",
        tags=["شورای هماهنگی"],
    )


def test_a_draft_with_its_origin_in_revision_and_audit(people, offices):
    item = services.create_draft_from(
        people["editor"],
        offices["gov"],
        _data(),
        origin="council.meeting:7",
        origin_label="جلسه ۳ شورای هماهنگی",
    )
    item.refresh_from_db()
    assert item.status == NewsItem.Status.DRAFT and not item.is_public
    assert item.title == "برگزاری نخستین نشست شورای هماهنگی"
    assert "<script" not in item.body
    assert item.author == people["editor"] and item.office == offices["gov"]
    revision = item.revisions.get()
    assert "جلسه ۳ شورای هماهنگی" in revision.note
    event = AuditEvent.objects.get(action="news.create", object_id=str(item.pk))
    assert event.changes["origin"] == "council.meeting:7"


def test_the_newsroom_permission_still_applies(people, offices):
    # An editor of a sibling agency may not write in the governorate's newsroom.
    with pytest.raises(PermissionDenied):
        services.create_draft_from(
            people["sibling_editor"], offices["gov"], _data(), origin="council.meeting:7"
        )
    assert not NewsItem.objects.exists()
    assert AuditEvent.objects.filter(action="denied:news.write", allowed=False).exists()
