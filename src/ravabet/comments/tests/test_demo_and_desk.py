from __future__ import annotations

import pytest
from django.core.management import call_command

from ravabet.comments.models import Comment

pytestmark = pytest.mark.django_db


def test_demo_comments_load_once(settings, tmp_path, client):
    settings.MEDIA_ROOT = tmp_path / "media"
    call_command("demo", verbosity=0)
    rows = list(Comment.objects.values_list("pk", "status", "is_official", "text"))
    assert {"published", "pending"} <= {status for _, status, _, _ in rows}
    assert any(official for _, _, official, _ in rows)
    assert all(c.triaged_at for c in Comment.objects.filter(is_official=False))
    call_command("demo", verbosity=0)
    assert rows == list(Comment.objects.values_list("pk", "status", "is_official", "text"))
    published = Comment.objects.filter(is_official=True).select_related("parent").first().parent
    from ravabet.comments.targets import resolve

    page = client.get(resolve("news", published.target_key).url).content.decode()
    assert published.text in page and "پاسخ رسمی" in page


def test_dashboard_links_the_queue_for_moderators_only(staff_client, offices):
    c, _ = staff_client("moderator")
    assert f"/staff/{offices['gov'].slug}/comments/" in c.get("/staff/").content.decode()
    c.logout()
    c, _ = staff_client("author", username="author-x")
    assert "/comments/" not in c.get("/staff/").content.decode()
