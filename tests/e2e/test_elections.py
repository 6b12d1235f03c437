"""Issue 15's path, clicked through in Chromium: the secretary's desk and a council's members
nominate, accept and approve candidates; voting opens; four members present in the room vote on
their phones with one-time codes; the count is sealed, then published; a voter finds their
receipt among the published ballots."""

from __future__ import annotations

import json

from ravabet.liveserver import ravabet

from .conftest import sign_in

SETUP = r"""
import json
from datetime import timedelta
from django.contrib.auth import get_user_model
from django.utils import timezone
from ravabet.council.models import Council, Seat, Term
from ravabet.elections import services
from ravabet.network.models import Office

User = get_user_model()
today = timezone.localdate()
root = Office.objects.get(slug="ilam")
council = Council.objects.create(
    office=root, name_fa="شورای هماهنگی روابط عمومی‌های دستگاه‌های اجرایی", slug="e2e-council",
    code="E2E", kind="province",
)
term = Term.objects.create(council=council, number=3, start=today)
members = [("ilam", "manager"), ("ilam-governorate", "editor")]
others = [o for o in Office.objects.filter(parent__slug="ilam-governorate").order_by("pk")[:2]]
for slug, username in members:
    Seat.objects.create(council=council, office=Office.objects.get(slug=slug), position="member",
                        holder=User.objects.get(username=username), start=today)
for i, office in enumerate(others):
    holder = User.objects.create_user(f"e2e-member-{i}", first_name="عضو", last_name=str(i))
    Seat.objects.create(council=council, office=office, position="member", holder=holder,
                        start=today)
manager = User.objects.get(username="manager")
now = timezone.now()
election = services.create_election(
    manager, council, term, title_fa="انتخابات هیأت‌رئیسه دوره سوم", mode="in_room",
    opens_at=now - timedelta(minutes=5), closes_at=now + timedelta(hours=3),
)
services.add_position(manager, election, name_fa="رئیس شورا", seats=1, role="chair")
services.add_position(manager, election, name_fa="عضو هیأت‌رئیسه", seats=2, role="board")
services.open_nominations(manager, election)
lines = {line.voter.username: line.pk for line in election.roll.select_related("voter")}
print(json.dumps({"election": election.pk, "lines": lines}))
"""


def test_nominations_to_published_result_with_in_room_codes(
    browser, server, staff_context, screenshots
):
    setup = json.loads(ravabet("shell", "-c", SETUP, env=server.env).strip().splitlines()[-1])
    pk, lines = setup["election"], setup["lines"]
    page = staff_context.new_page()

    # The secretary (the directorate's PR manager) nominates themself for chair, with a
    # statement, and the governorate's member for the board.
    page.goto(f"/elections/{pk}/nominate/")
    page.select_option("select[name=position]", label="رئیس شورا")
    page.select_option("select[name=nominee]", value=str(lines["manager"]))
    page.fill("textarea[name=statement]", "برنامه من: نشست ماهانه و گزارش عملکرد شفاف.")
    page.click("main button[type=submit]")
    page.wait_for_url(f"**/elections/{pk}/")
    page.goto(f"/elections/{pk}/nominate/")
    page.select_option("select[name=position]", label="عضو هیأت‌رئیسه")
    page.select_option("select[name=nominee]", value=str(lines["editor"]))
    page.click("main button[type=submit]")
    page.wait_for_url(f"**/elections/{pk}/")

    # The nominee accepts, with a statement to the voters.
    nominee = browser.new_context(base_url=server.base_url, locale="fa-IR")
    nominee_page = nominee.new_page()
    sign_in(nominee_page, "editor")
    nominee_page.goto(f"/elections/{pk}/")
    nominee_page.fill("textarea[name=statement]", "پیگیری مصوبات کارگروه رسانه.")
    nominee_page.click("button[name=accept][value='1']")
    nominee_page.wait_for_selector("text=پذیرفته شده؛ در انتظار تأیید")
    nominee.close()

    # The desk approves both, opens voting (the roll freezes) and hands out the codes.
    desk = f"/staff/ilam/elections/{pk}/"
    page.goto(desk)
    for _ in range(2):
        page.locator("button[name=step][value=approve]").first.click()
        page.wait_for_load_state()
    assert page.locator("td.candidacy-status", has_text="تأیید شد؛ روی برگهٔ رأی").count() == 2
    page.click("button[name=step][value=open]")
    page.wait_for_selector("text=رأی‌گیری در جریان است")
    for box in page.locator("input[name=elector]").all():
        box.check()
    page.click("text=دادن کد به رأی‌دهندگان علامت‌خورده")
    codes = [c.inner_text() for c in page.locator("code.voting-code").all()]
    assert len(codes) == 4
    page.screenshot(path=screenshots / "elections-1-codes.png", full_page=True)

    # Four phones in the room: no sign-in, a code each. The first tries too many board choices.
    receipts = []
    for i, code in enumerate(codes):
        phone = browser.new_context(
            base_url=server.base_url, locale="fa-IR", viewport={"width": 390, "height": 844}
        )
        ballot = phone.new_page()
        ballot.goto(f"/elections/{pk}/code/")
        ballot.fill("input[name=code]", code.lower() if i == 1 else code)
        fieldsets = ballot.locator("fieldset.ballot-position")
        if i < 3:
            fieldsets.nth(0).locator("input[type=radio]").first.check()
            fieldsets.nth(1).locator("input[type=checkbox]").first.check()
        else:
            fieldsets.nth(0).locator("input[type=radio]").last.check()  # blank
            fieldsets.nth(1).locator("input[type=checkbox]").last.check()  # blank
        if i == 0:
            fieldsets.nth(1).locator("input[type=checkbox]").last.check()  # + blank: refused
            ballot.click("main button[type=submit]")
            ballot.wait_for_selector("text=سفید را نمی‌توان همراه با نامزدها برگزید.")
            fieldsets.nth(1).locator("input[type=checkbox]").last.uncheck()
            ballot.fill("input[name=code]", code)
        ballot.click("main button[type=submit]")
        ballot.wait_for_selector("text=رأی شما ثبت شد")
        receipts.append(ballot.locator("strong.receipt").inner_text())
        if i == 0:
            ballot.screenshot(path=screenshots / "elections-2-receipt.png", full_page=True)
            # The same code again: refused.
            ballot.goto(f"/elections/{pk}/code/")
            ballot.fill("input[name=code]", code)
            ballot.locator("fieldset.ballot-position").nth(0).locator("input").last.check()
            ballot.locator("fieldset.ballot-position").nth(1).locator("input").last.check()
            ballot.click("main button[type=submit]")
            ballot.wait_for_selector("text=این کد قبلاً به کار رفته است.")
        phone.close()

    # Sealed until published: turnout shows after the close, the result only after publishing.
    page.goto(desk)
    page.click("button[name=step][value=close]")
    page.wait_for_selector("text=رأی‌گیری پایان یافت؛ نتیجه مهروموم است")
    reader = browser.new_context(base_url=server.base_url, locale="fa-IR")
    public = reader.new_page()
    public.goto(f"/elections/{pk}/")
    public.wait_for_selector("text=۴ از ۴ دستگاه عضو رأی دادند")
    assert public.locator("strong.elected").count() == 0
    page.goto(desk)
    page.click("button[name=step][value=publish]")
    page.wait_for_selector("text=نتیجه اعلام شد")
    public.goto(f"/elections/{pk}/")
    assert public.locator("strong.elected").count() == 2
    public.wait_for_selector("text=حد نصاب حاصل شد")
    public.screenshot(path=screenshots / "elections-3-result.png", full_page=True)

    # A voter finds their receipt in the shuffled list, searching in the browser only.
    public.click("text=همهٔ برگه‌های رأی و وارسی رسید شما")
    assert public.locator("tr[data-receipt]").count() == 4
    public.fill("#receipt-filter", receipts[2].replace("-", ""))
    assert public.locator("tr[data-receipt]:visible").count() == 1
    assert public.locator("tr[data-receipt]:visible").get_attribute("data-receipt") == receipts[2]
    listed = [r.get_attribute("data-receipt") for r in public.locator("tr[data-receipt]").all()]
    assert listed == sorted(receipts)
    reader.close()
    page.close()
