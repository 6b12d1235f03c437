from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from ravabet.conftest import make_staff
from ravabet.evaluation import services
from ravabet.evaluation.models import Evaluator
from ravabet.network.models import Office

YEAR, MONTH = 1404, 7  # Mehr 1404: 2025-09-23 … 2025-10-23, well in the past


@pytest.fixture
def network(offices):
    """The shared office tree, created long before the periods under test, with a DG, two
    evaluators (no office of their own) and the county's PR manager."""
    Office.objects.update(created_at=timezone.now() - timedelta(days=800))
    for office in offices.values():
        office.refresh_from_db()
    dg = make_staff("dg", offices["root"], "manager")
    first = make_staff("evaluator-1")
    second = make_staff("evaluator-2")
    county_manager = make_staff("mehran-manager", offices["county"], "manager")
    Evaluator.objects.create(user=first)
    Evaluator.objects.create(user=second)
    services.ensure_default_criteria()
    return {
        **offices,
        "dg": dg,
        "first": first,
        "second": second,
        "county_manager": county_manager,
    }


@pytest.fixture
def period(network):
    return services.open_period(network["dg"], year=YEAR, month=MONTH)


@pytest.fixture
def coordination_not_installed(monkeypatch):
    """As in a deployment without the council, events and experiences apps: `is_installed` says
    no for them (the registry itself is left alone), so their indicators are skipped."""
    from ravabet.evaluation import measures

    real = measures.apps.is_installed
    missing = {"ravabet.council", "ravabet.events", "ravabet.experiences"}
    monkeypatch.setattr(
        measures.apps, "is_installed", lambda name: name not in missing and real(name)
    )
