"""The personal-data check: examples, and properties (hypothesis) over generated numbers."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ravabet.experiences.privacy import find_personal_data, national_id_valid
from ravabet.network.text import to_arabic_digits, to_persian_digits

VALID_ID = "0499370899"  # check digit computed by the rule (a made-up number)


def kinds(text: str, names=()) -> list[str]:
    return [finding.kind for finding in find_personal_data(text, names)]


def test_examples():
    assert national_id_valid(VALID_ID)
    assert not national_id_valid("0499370898")
    assert not national_id_valid("1111111111")
    assert kinds("شماره همراه ۰۹۱۲۳۴۵۶۷۸۹ را بگیرید") == ["mobile"]
    assert kinds("تماس: +98 912 345 6789") == ["mobile"]
    assert kinds("کد ملی " + to_persian_digits(VALID_ID)) == ["national_id"]
    assert kinds("نامه به citizen@example.org رسید") == ["email"]
    assert kinds("هزینه ۱۲۳۴۵۶۷۸۹۰ ریال") == []  # ten digits, wrong check digit
    assert kinds("سال ۱۴۰۵ و ۲۴ اطلاعیه") == []


def test_names_from_demands_are_found_whatever_the_spelling():
    names = ["علی رضائی", "زهرا"]
    assert kinds("گفت‌وگو با علي رضايي درباره راه", names) == ["name"]  # Arabic letters
    assert kinds("سخن زهرا", names) == []  # one-word names are too common to flag
    assert kinds("آقای علیرضا ییلاقی", names) == []


def _checked(nine: str) -> str:
    total = sum(int(nine[i]) * (10 - i) for i in range(9)) % 11
    return nine + str(total if total < 2 else 11 - total)


nine_digits = st.text(alphabet="0123456789", min_size=9, max_size=9).filter(
    lambda s: len(set(s)) > 1
)
digit_scripts = st.sampled_from([str, to_persian_digits, to_arabic_digits])
filler = st.text(alphabet="ابپتثجچحخدرزسشصطعفقکگلمنوهی ،.", max_size=30)


@settings(max_examples=150, deadline=None)
@given(nine=nine_digits, script=digit_scripts, before=filler, after=filler)
def test_every_valid_national_id_is_found_in_any_digits(nine, script, before, after):
    number = _checked(nine)
    text = f"{before} {script(number)} {after}"
    found = find_personal_data(text)
    assert any(f.kind == "national_id" and f.value == number for f in found) or (
        number.startswith("09") and any(f.kind == "mobile" for f in found)
    )


@settings(max_examples=150, deadline=None)
@given(nine=nine_digits, script=digit_scripts)
def test_a_wrong_check_digit_is_not_a_national_id(nine, script):
    right = _checked(nine)
    wrong = right[:9] + str((int(right[9]) + 1) % 10)
    assert not any(f.kind == "national_id" for f in find_personal_data(script(wrong)))


@settings(max_examples=150, deadline=None)
@given(
    rest=st.text(alphabet="0123456789", min_size=9, max_size=9),
    script=digit_scripts,
    prefix=st.sampled_from(["0", "+98", "0098", "+98 "]),
    spaced=st.booleans(),
)
def test_every_mobile_number_is_found(rest, script, prefix, spaced):
    body = "9" + rest
    shown = f"{body[:3]} {body[3:6]} {body[6:]}" if spaced else body
    text = f"تلفن همراه {script(prefix + shown)} است"
    found = find_personal_data(text)
    assert [f.value for f in found if f.kind == "mobile"] == ["0" + body]


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=300))
def test_never_raises_on_any_text(value):
    for finding in find_personal_data(value, ["نام نمونه"]):
        assert finding.kind in {"mobile", "national_id", "email", "name"}


@pytest.mark.django_db
def test_going_public_with_personal_data_asks_for_confirmation(offices, people):
    from ravabet.experiences import services

    from .conftest import complete_data

    item = services.create(
        people["author"],
        offices["county"],
        complete_data(results="شهروند با شماره ۰۹۱۲۳۴۵۶۷۸۹ تماس گرفت."),
    )
    services.submit(people["author"], item)
    services.review(people["reviewer"], item, "approve")
    with pytest.raises(services.PersonalDataFound) as caught:
        services.publish(people["author"], item, "public")
    assert [f.kind for f in caught.value.findings] == ["mobile"]
    item.refresh_from_db()
    assert item.status == "approved"
    services.publish(people["author"], item, "network")  # the network: no check
    services.publish(people["author"], item, "public", confirm_personal_data=True)
    item.refresh_from_db()
    assert item.is_public


@pytest.mark.django_db
def test_names_given_with_demands_are_checked(offices, people, signed_in):
    from ravabet.demands import selectors as demands
    from ravabet.demands import services as demand_services
    from ravabet.experiences import services

    from .conftest import complete_data

    demand_services.submit(
        offices["county"], kind="request", subject="آب", body="آب روستا قطع است.",
        name="مریم کرمی", email="m@example.org",
    )  # fmt: skip
    assert "مریم کرمی" in demands.citizen_names()
    item = services.create(
        people["author"],
        offices["county"],
        complete_data(situation="خانم مريم كرمي درخواست داد."),
    )
    services.submit(people["author"], item)
    services.review(people["reviewer"], item, "approve")
    client = signed_in(people["author"])
    response = client.post(f"/experiences/{item.pk}/publish/", {"audience": "public"})
    assert response.status_code == 422
    page = response.content.decode()
    assert "داده‌های شخصی" in page and "مریم کرمی" in page
