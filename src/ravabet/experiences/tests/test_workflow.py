"""The write-up's life: draft → submitted → sent back with a comment → revised → approved →
published → withdrawn; the second-person rule; versions with a word diff."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied

from ravabet.experiences import selectors, services
from ravabet.experiences.models import ReviewComment, Status
from ravabet.network.models import AuditEvent

from .conftest import complete_data

pytestmark = pytest.mark.django_db


def test_the_whole_workflow(offices, people):
    author, reviewer = people["author"], people["reviewer"]
    item = services.create(author, offices["county"], complete_data())
    assert item.status == Status.DRAFT and item.year == 1405
    services.submit(author, item)
    services.review(reviewer, item, "changes", "نتیجه‌ها را با عدد بنویسید.")
    item.refresh_from_db()
    assert item.status == Status.CHANGES
    services.update(author, item, complete_data(results="شایعه‌ها در دو روز ۸۰ درصد کم شد."))
    item.refresh_from_db()
    assert item.version == 2
    services.submit(author, item)
    services.review(reviewer, item, "approve")
    item = services.publish(author, item, "network")
    assert item.is_published and not item.is_public and item.review_by is not None
    assert [c.decision for c in ReviewComment.objects.filter(experience=item)] == [
        "changes",
        "approve",
    ]
    codes = list(
        AuditEvent.objects.filter(object_id=str(item.pk))
        .order_by("pk")
        .values_list("action", flat=True)
    )
    assert codes == [
        "experiences.create",
        "experiences.submit",
        "experiences.send_back",
        "experiences.update",
        "experiences.submit",
        "experiences.approve",
        "experiences.publish",
    ]


def test_submitting_with_empty_sections_names_them(offices, people):
    item = services.create(
        people["author"], offices["county"], complete_data(goal="", steps=[], lessons=[])
    )
    with pytest.raises(services.MissingSections) as caught:
        services.submit(people["author"], item)
    assert caught.value.sections == ["goal", "steps", "lessons"]
    assert "هدف" in caught.value.messages[0] or "Goal" in caught.value.messages[0]


def test_submit_page_says_which_sections_are_empty(offices, people, signed_in):
    item = services.create(people["author"], offices["county"], complete_data(situation=""))
    client = signed_in(people["author"])
    response = client.post(f"/experiences/{item.pk}/submit/")
    assert response.status_code == 422
    page = response.content.decode()
    assert "وضعیت" in page  # «Situation» named, in Persian
    assert "هدف" not in page.split('class="missing"')[1].split("</ul>")[0]


def test_reviewer_of_the_writeups_own_office_is_refused(offices, people):
    item = services.create(people["author"], offices["county"], complete_data())
    services.submit(people["author"], item)
    with pytest.raises(PermissionDenied):
        services.review(people["insider"], item, "approve")
    assert AuditEvent.objects.filter(
        action="denied:experiences.review", allowed=False, object_id=str(item.pk)
    ).exists()
    item.refresh_from_db()
    assert item.status == Status.SUBMITTED


def test_the_author_never_reviews_their_own_writeup(offices, people):
    from ravabet.network.models import Membership

    Membership.objects.create(user=people["author"], office=offices["root"], role="reviewer")
    item = services.create(people["author"], offices["county"], complete_data())
    services.submit(people["author"], item)
    with pytest.raises(PermissionDenied):
        services.review(people["author"], item, "approve")


def test_a_staff_member_of_another_office_may_not_review(offices, people):
    item = services.create(people["author"], offices["county"], complete_data())
    services.submit(people["author"], item)
    with pytest.raises(PermissionDenied):
        services.review(people["other"], item, "approve")


def test_the_reviewer_seam_lets_another_rule_decide(offices, people):
    from ravabet.experiences import reviewers

    item = services.create(people["author"], offices["county"], complete_data())
    services.submit(people["author"], item)

    def working_group(user, experience):
        return user.username == "agency-editor"

    reviewers.register_reviewer_rule(working_group)
    try:
        assert reviewers.may_review(people["other"], item)
        assert not reviewers.may_review(people["reviewer"], item)
        assert not reviewers.may_review(people["author"], item)  # the second-person rule holds
    finally:
        reviewers.unregister_reviewer_rule(working_group)


def test_review_page_refuses_own_office_with_403(offices, people, signed_in):
    item = services.create(people["author"], offices["county"], complete_data())
    services.submit(people["author"], item)
    client = signed_in(people["insider"])
    response = client.post(f"/experiences/{item.pk}/review/", {"decision": "approve"})
    assert response.status_code == 403


def test_sending_back_needs_a_comment(offices, people):
    item = services.create(people["author"], offices["county"], complete_data())
    services.submit(people["author"], item)
    with pytest.raises(services.ValidationError):
        services.review(people["reviewer"], item, "changes", "  ")


def test_only_an_approved_writeup_is_published(offices, people):
    item = services.create(people["author"], offices["county"], complete_data())
    with pytest.raises(services.WrongState):
        services.publish(people["author"], item, "public")


def test_a_submitted_writeup_is_not_edited_under_the_reviewer(offices, people):
    item = services.create(people["author"], offices["county"], complete_data())
    services.submit(people["author"], item)
    with pytest.raises(services.WrongState):
        services.update(people["author"], item, complete_data(title="عنوان دیگر"))


def test_editing_an_approved_writeup_sends_it_back_to_draft(offices, people):
    item = services.create(people["author"], offices["county"], complete_data())
    services.submit(people["author"], item)
    services.review(people["reviewer"], item, "approve")
    services.update(people["author"], item, complete_data(goal="هدف تازه"))
    item.refresh_from_db()
    assert item.status == Status.DRAFT


def test_unpublished_public_writeup_answers_410(published, people, client):
    assert client.get(f"/experiences/{published.pk}/").status_code == 200
    services.unpublish(people["author"], published)
    response = client.get(f"/experiences/{published.pk}/")
    assert response.status_code == 410
    assert "از انتشار" in response.content.decode() or "withdrawn" in response.content.decode()


def test_network_only_writeup_is_for_staff(offices, people, client, signed_in):
    item = services.create(people["author"], offices["county"], complete_data())
    services.submit(people["author"], item)
    services.review(people["reviewer"], item, "approve")
    services.publish(people["author"], item, "network")
    assert client.get(f"/experiences/{item.pk}/").status_code == 404
    assert client.get("/experiences/").content.decode().count(item.title) == 0
    staff = signed_in(people["other"])
    assert staff.get(f"/experiences/{item.pk}/").status_code == 200
    assert item.title in staff.get("/experiences/").content.decode()


def test_a_draft_is_not_shown_to_others(offices, people, client, signed_in):
    item = services.create(people["author"], offices["county"], complete_data())
    assert client.get(f"/experiences/{item.pk}/").status_code == 404
    assert signed_in(people["other"]).get(f"/experiences/{item.pk}/").status_code == 404


def test_versions_show_a_word_diff(offices, people, signed_in):
    item = services.create(people["author"], offices["county"], complete_data())
    services.update(people["author"], item, complete_data(goal="رساندن خبر درست به مردم."))
    client = signed_in(people["author"])
    page = client.get(f"/experiences/{item.pk}/versions/").content.decode()
    assert '<del class="diff">' in page and "زودهنگام" in page
    assert "نسخه" in page


def test_confirming_moves_the_review_by_date(published, people):
    from datetime import timedelta

    from django.utils import timezone

    later = timezone.localdate() + timedelta(days=200)
    services.confirm_still_valid(people["author"], published, later)
    published.refresh_from_db()
    assert published.review_by == later and published.reminded_for is None


def test_listing_shows_staff_desk_items(offices, people, signed_in):
    services.create(people["author"], offices["county"], complete_data(title="پیش‌نویس میز"))
    desk = selectors.desk(people["author"])
    assert [item.title for item in desk["mine"]] == ["پیش‌نویس میز"]
    page = signed_in(people["author"]).get("/staff/experiences/").content.decode()
    assert "پیش‌نویس میز" in page


def test_a_reviewer_sees_a_writeup_once_submitted_not_as_a_draft(offices, people, signed_in):
    item = services.create(people["author"], offices["county"], complete_data())
    client = signed_in(people["reviewer"])
    assert client.get(f"/experiences/{item.pk}/").status_code == 404
    services.submit(people["author"], item)
    page = client.get(f"/experiences/{item.pk}/").content.decode()
    assert "ثبت بازبینی" in page  # the review form


def test_the_councils_education_working_group_reviews_every_offices_write_ups(
    offices, people, mailoutbox
):
    from datetime import timedelta

    from django.utils import timezone

    from ravabet.council.models import Council, WorkingGroup, WorkingGroupMembership
    from ravabet.experiences import reviewers, selectors

    item = services.create(people["author"], offices["county"], complete_data())
    # Without an education working group, an editor of another office may not review.
    assert not reviewers.may_review(people["other"], item)
    council = Council.objects.create(office=offices["root"], name_fa="شورا", slug="c", code="C")
    news_group = WorkingGroup.objects.create(
        council=council, name_fa="کارگروه اخبار", slug="news", code="NEWS", topic="news",
        lead_office=offices["root"],
    )  # fmt: skip
    WorkingGroupMembership.objects.create(
        group=news_group, office=offices["agency"], joined=timezone.localdate()
    )
    assert not reviewers.may_review(people["other"], item)  # another topic's group does not
    education = WorkingGroup.objects.create(
        council=council, name_fa="کارگروه آموزش", slug="education", code="EDU",
        topic="education", lead_office=offices["root"],
    )  # fmt: skip
    joined = WorkingGroupMembership.objects.create(
        group=education, office=offices["agency"], joined=timezone.localdate() - timedelta(days=10)
    )
    mailoutbox.clear()
    services.submit(people["author"], item)
    assert reviewers.may_review(people["other"], item)  # the agency's editor, in the group
    assert item in selectors.desk(people["other"])["waiting"]
    from ravabet.network import outbox

    outbox.deliver_pending()
    assert any("agency-editor@" in ",".join(m.to) for m in mailoutbox)
    assert not reviewers.may_review(people["author"], item)  # the second person still
    # An office that left the group no longer reviews.
    joined.left = timezone.localdate() - timedelta(days=1)
    joined.save(update_fields=["left"])
    assert not reviewers.may_review(people["other"], item)
