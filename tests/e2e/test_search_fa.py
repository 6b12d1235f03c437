"""Issue 12 / issue 13 item 7, clicked through: a reader searches the demo the way people
type (another spelling, a typo, a news code) and sees what to try when nothing is found."""

from __future__ import annotations

import re

from ravabet.network.text import to_persian_digits


def test_reader_finds_by_spelling_typo_and_news_code(public_context, screenshots):
    page = public_context.new_page()

    # «هیات رییسه» is how many type «هیأت‌رئیسه».
    page.goto("/search/?q=" + "هیات رییسه")
    first = page.locator(".result h3 a").first
    assert "هیأت‌رئیسه" in first.inner_text()
    assert page.locator(".result mark").count() > 0
    page.screenshot(path=screenshots / "search-fa-1-spelling.png", full_page=True)

    # One letter doubled: the results of the likeliest word, with the suggestion first.
    page.goto("/search/?q=" + "انتخاباات")
    notice = page.locator("p.did-you-mean")
    assert "نتیجه‌های «انتخابات» نشان داده می‌شود" in notice.inner_text()
    assert page.locator(".result").count() > 0
    page.screenshot(path=screenshots / "search-fa-2-typo.png", full_page=True)

    # The news code of the first result opens the item itself.
    href = page.locator(".result h3 a").first.get_attribute("href")
    code = re.match(r"/news/(\d+)/", href).group(1)
    page.goto("/search/?q=" + "کد خبر " + to_persian_digits(code))
    assert f"/news/{code}/" in page.url
    assert page.locator("h1").count() == 1

    # Nothing found with a filter: what to try, in Persian, with the way back without it.
    page.goto("/search/?q=" + "ژژژژژ" + "&date_from=1405/01/01")
    tips = page.locator(".search-tips")
    assert "می‌توانید این‌ها را بیازمایید" in tips.inner_text()
    assert tips.locator("a").inner_text() == "همین واژه‌ها بدون پالایه‌ها"
    assert page.locator("label[for=id_date_from]").inner_text() == "از تاریخ"
    assert page.locator("label[for=id_office]").inner_text() == "دفتر"
    page.screenshot(path=screenshots / "search-fa-3-nothing.png", full_page=True)
    page.close()
