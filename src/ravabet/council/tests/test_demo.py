"""The demo councils (`ravabet demo`): two councils, the six working groups of seed 004, meetings
and decisions in several states, shown on the public pages and found by the search app."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from ravabet.council import models as m

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture
def demo(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    call_command("demo", verbosity=0)


def test_demo_councils(client, demo):
    assert set(m.Council.objects.values_list("slug", flat=True)) == {
        "ilam-agencies",
        "mehran-districts",
    }
    groups = set(m.WorkingGroup.objects.values_list("name_fa", flat=True))
    assert groups == {
        "کارگروه آموزش",
        "کارگروه اخبار",
        "کارگروه ارزیابی",
        "کارگروه انتخابات",
        "کارگروه رسانه و فضای مجازی",
        "کارگروه مدیریت بحران در رسانه",
    }
    states = set(m.Decision.objects.values_list("status", flat=True))
    assert {"done", "in_progress", "awaiting", "overdue", "cancelled"} <= states
    meetings = set(m.Meeting.objects.values_list("state", flat=True))
    assert {"approved", "closed", "invited"} <= meetings
    page = client.get("/councils/ilam-agencies/").content.decode()
    assert "کارگروه مدیریت بحران در رسانه" in page
    register = client.get("/councils/decisions/").content.decode()
    assert "سامانه تجربه‌نگاری روابط عمومی‌ها" in register
    assert "فهرست تماس اضطراری" not in register  # internal
    found = client.get("/councils/decisions/", {"q": "تجربه نگاری"})
    assert [r.decision.code for r in found.context["page"].rows] == ["ILM-1-2"]


def test_demo_twice_adds_nothing(demo):
    counts = (m.Council.objects.count(), m.Decision.objects.count())
    call_command("demo", verbosity=0)
    assert counts == (m.Council.objects.count(), m.Decision.objects.count())
