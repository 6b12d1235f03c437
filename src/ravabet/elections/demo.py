"""Demo content of the elections app (`ravabet demo`): the Ilam agencies' PR council's board
election for its first term, held in the room with codes and published, so that `./dev up` shows
a result page, the shuffled ballots and the download. Running it twice changes nothing."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.contrib.auth import get_user_model
from django.utils import timezone

from ravabet.council import services as council_services
from ravabet.council.models import Council
from ravabet.network.models import Office

from . import services
from .models import Election

TITLE = "انتخابات هیأت‌رئیسه شورای هماهنگی روابط عمومی‌های دستگاه‌های اجرایی (نمایشی)"
MEMBERS = ["ilam-governorate", "ilam-roads", "ilam-health", "ilam-heritage", "mehran", "dehloran"]
# (office slug, full name of its PR manager in the demo)
HOLDERS = {
    "ilam-roads": "مریم کرمی",
    "ilam-health": "علی رحیمی",
    "ilam-heritage": "زهرا مرادی",
    "mehran": "حسین یاری",
    "dehloran": "فاطمه حیدری",
}


def _holder(slug: str) -> Any:
    first, last = HOLDERS[slug].split(" ", 1)
    user, _created = get_user_model().objects.get_or_create(
        username=f"demo-pr-{slug}", defaults={"first_name": first, "last_name": last}
    )
    return user


def load(offices: dict[str, Office], verbosity: int = 1) -> int:
    root = offices.get("ilam")
    manager = get_user_model().objects.filter(username="manager").first()
    if root is None or manager is None or Election.objects.filter(title_fa=TITLE).exists():
        return 0
    today = timezone.localdate()
    council = Council.objects.filter(office=root).order_by("pk").first()
    if council is None:
        council = council_services.create_council(
            manager,
            root,
            name_fa="شورای هماهنگی روابط عمومی‌های دستگاه‌های اجرایی استان ایلام",
            slug="ilam-agencies",
            code="ILA",
            kind=Council.Kind.PROVINCE_AGENCIES,
        )
    term = council.terms.order_by("-number").first() or council_services.add_term(
        manager, council, number=1, start=today
    )
    holders = {}
    for slug in MEMBERS:
        if slug in offices and slug in HOLDERS:
            holders[slug] = _holder(slug)
        if slug in offices:
            council_services.assign_seat(
                manager, council, offices[slug], "member", start=today, holder=holders.get(slug)
            )
    now = timezone.now()
    election = services.create_election(
        manager,
        council,
        term,
        title_fa=TITLE,
        title_en="Board election of the Ilam agencies' PR council (demo)",
        mode=Election.Mode.IN_ROOM,
        tie_rule=Election.TieRule.LOTTERY,
        opens_at=now - timedelta(hours=2),
        closes_at=now + timedelta(hours=1),
    )
    chair = services.add_position(manager, election, name_fa="رئیس شورا", seats=1, role="chair")
    board = services.add_position(manager, election, name_fa="عضو هیأت‌رئیسه", seats=2, role="board")
    services.open_nominations(manager, election)
    lines = {line.office.slug: line for line in election.roll.select_related("office")}
    picks = [("ilam-roads", chair), ("ilam-health", chair), ("ilam-heritage", board),
             ("mehran", board), ("dehloran", board)]  # fmt: skip
    candidates = {}
    for slug, position in picks:
        if slug not in lines:
            continue
        line = lines[slug]
        nominated = services.nominate(
            line.voter, position, line, statement="برنامه: نشست ماهانه، گزارش شفاف عملکرد."
        )
        candidates[slug] = services.decide_candidacy(manager, nominated, approve=True)
    services.open_voting(manager, election)
    codes = services.issue_codes(manager, election, list(election.roll.all()))
    ballots = [
        ("ilam-roads", ["ilam-heritage", "mehran"]),
        ("ilam-roads", ["mehran"]),
        ("ilam-health", ["ilam-heritage", "dehloran"]),
        ("ilam-roads", ["ilam-heritage", "mehran"]),
        (None, None),
    ]
    for code, (chair_pick, board_picks) in zip(codes.values(), ballots, strict=False):
        choices = {
            str(chair.pk): [candidates[chair_pick].pk] if chair_pick in candidates else "blank",
            str(board.pk): [candidates[s].pk for s in board_picks if s in candidates]
            if board_picks
            else "blank",
        }
        services.cast_by_code(election, code, choices)
    election.refresh_from_db()
    services.close_voting(manager, election, now=election.closes_at)
    services.publish_results(manager, Election.objects.get(pk=election.pk))
    if verbosity:
        print(f"Demo election: /elections/{election.pk}/")
    return 1
