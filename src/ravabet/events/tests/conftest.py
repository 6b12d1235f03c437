"""Fixtures of the events tests: a PR-week programme at the province directorate, a course of
three sessions with two places, an organiser, staff of other offices."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from ravabet.conftest import make_staff
from ravabet.events import services
from ravabet.events.models import Audience, Enrolment, Kind


@pytest.fixture
def organiser(offices):
    return make_staff("organiser", offices["gov"], "manager")


@pytest.fixture
def programme(offices, organiser):
    return services.create_series(
        organiser, offices["gov"], slug="pr-week-1405", title_fa="هفته روابط عمومی ۱۴۰۵", year=1405
    )


def course_sessions(start, days=3):
    return [
        (start + timedelta(days=i), start + timedelta(days=i, hours=4), f"روز {i + 1}", i == 0)
        for i in range(days)
    ]


@pytest.fixture
def start():
    return (timezone.now() + timedelta(days=10)).replace(hour=9, minute=0, second=0, microsecond=0)


@pytest.fixture
def course(offices, organiser, programme, start):
    return services.create_event(
        organiser,
        offices["gov"],
        series=programme,
        sessions=course_sessions(start),
        kind=Kind.TRAINING,
        title="دوره آموزشی مدیران روابط عمومی",
        starts_at=start,
        ends_at=start + timedelta(days=2, hours=4),
        place="سالن اجتماعات استانداری",
        audience=Audience.STAFF,
        capacity=2,
        enrolment=Enrolment.OPEN,
        min_sessions=2,
        signer_name="آیت قیصربیگی",
        signer_title="مدیرکل روابط عمومی",
    )


@pytest.fixture
def staff_people(offices):
    """Three PR staff: two from the county, one from the agency."""
    return [
        make_staff("county-a", offices["county"], "editor"),
        make_staff("county-b", offices["county"], "author"),
        make_staff("agency-a", offices["agency"], "editor"),
    ]


def guest(n: int = 1) -> services.Guest:
    return services.Guest(f"مهمان شماره {n}", f"0912000000{n}", f"guest{n}@example.org", "ایرنا")
