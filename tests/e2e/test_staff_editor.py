"""Issue 13, item 10: the news body is written in a rich-text editor, never as raw HTML.

The editor (Quill 2, served from node_modules) runs under the site's real CSP (no bypass here):
an author types Persian, makes a heading, a bold word and a list, pastes from Word, inserts one
of the item's photos, saves and reopens; the formatting is kept and no tag is shown. Without
JavaScript the same body is plain text with line marks, never tags, and survives a save.
"""

from __future__ import annotations

import io

from PIL import Image

from .conftest import sign_in

WORD_PASTE = (
    '<html xmlns:o="urn:schemas-microsoft-com:office:office"><body>'
    '<!--StartFragment--><p class="MsoNormal" style="mso-margin-top-alt:auto;font-family:'
    '\'B Nazanin\';color:#1F497D"><span lang="FA" style="font-size:14.0pt">'
    "بند چسبانده از ورد</span><o:p></o:p></p><!--EndFragment--></body></html>"
)


def _photo(tmp_path):
    path = tmp_path / "photo.jpg"
    buffer = io.BytesIO()
    Image.new("RGB", (1200, 800), (30, 110, 60)).save(buffer, "JPEG")
    path.write_bytes(buffer.getvalue())
    return path


def _violations(page) -> list[str]:
    found: list[str] = []
    page.on(
        "console",
        lambda m: found.append(m.text) if "Content Security Policy" in m.text else None,
    )
    return found


def _save(page) -> None:
    page.click("form[action*='/news/'] button[type=submit]:has-text('ذخیره')")
    page.wait_for_load_state()


def test_author_formats_saves_and_reopens_without_tags(browser, server, screenshots, tmp_path):
    context = browser.new_context(
        base_url=server.base_url, locale="fa-IR", viewport={"width": 1366, "height": 900}
    )
    page = context.new_page()
    csp = _violations(page)
    sign_in(page, "editor")
    page.goto("/staff/ilam-governorate/news/new/")
    page.wait_for_selector(".news-editor[data-ready=true]")
    assert page.locator("#id_body").is_hidden()  # the editor replaces the textarea
    toolbar = page.locator(".news-editor .ql-toolbar")
    assert toolbar.locator(".ql-bold").get_attribute("aria-label") == "پررنگ"
    assert toolbar.locator(".ql-header[value='2']").get_attribute("aria-label") == "تیتر"
    assert page.locator(".ql-editor").get_attribute("dir") == "rtl"

    page.fill("#id_title", "آزمون ویرایشگر متن خبر")
    editor = page.locator(".ql-editor")
    editor.click()
    page.keyboard.type("تیتر میانی خبر")
    toolbar.locator(".ql-header[value='2']").click()
    page.keyboard.press("End")
    page.keyboard.press("Enter")
    page.keyboard.type("بند نخست با واژه ")
    toolbar.locator(".ql-bold").click()
    page.keyboard.type("پررنگ")
    toolbar.locator(".ql-bold").click()
    page.keyboard.type(" در میان.")
    page.keyboard.press("Enter")
    toolbar.locator(".ql-list[value='bullet']").click()
    page.keyboard.type("مورد یکم")
    page.keyboard.press("Enter")
    page.keyboard.type("مورد دوم")
    page.keyboard.press("Enter")
    page.keyboard.press("Enter")  # leaves the list
    # Paste from Word: its fonts, colours, classes and <o:p> must not survive.
    page.evaluate(
        """html => {
            const data = new DataTransfer();
            data.setData('text/html', html);
            data.setData('text/plain', 'بند چسبانده از ورد');
            document.querySelector('.ql-editor').dispatchEvent(new ClipboardEvent('paste',
                {clipboardData: data, bubbles: true, cancelable: true}));
        }""",
        WORD_PASTE,
    )
    page.screenshot(path=screenshots / "editor-1-typed.png", full_page=True)
    _save(page)
    page.wait_for_url("**/staff/news/*/")
    page.wait_for_selector(".news-editor[data-ready=true]")

    # Reopened: the formatting is there, and nowhere a tag as text.
    editor = page.locator(".ql-editor")
    assert editor.locator("h2").inner_text() == "تیتر میانی خبر"
    assert editor.locator("strong").inner_text() == "پررنگ"
    assert editor.locator("li").all_inner_texts() == ["مورد یکم", "مورد دوم"]
    text = editor.inner_text()
    assert "بند چسبانده از ورد" in text
    assert "<" not in text and ">" not in text
    stored = page.evaluate("JSON.parse(document.getElementById('news-body-html').textContent)")
    assert "<h2>تیتر میانی خبر</h2>" in stored
    assert "<strong>پررنگ</strong>" in stored
    assert "<ul><li>مورد یکم</li><li>مورد دوم</li></ul>" in stored
    for junk in ("mso", "style=", "class=", "o:p", "Nazanin", "&nbsp;"):
        assert junk not in stored, junk

    # One of the item's own photos goes into the body from the toolbar.
    page.set_input_files("#id_image", _photo(tmp_path))
    page.fill("#id_alt", "نمای نزدیک از نشست کارگروه")
    page.click("form[action*='/photos/'] button[type=submit]")
    page.wait_for_selector("text=عکس افزوده شد.")
    page.wait_for_selector(".news-editor[data-ready=true]")
    page.locator(".ql-editor h2").click()
    page.keyboard.press("End")
    page.locator(".news-editor .ql-image").click()
    page.locator(".editor-photos button", has_text="نمای نزدیک از نشست کارگروه").click()
    _save(page)
    page.wait_for_selector(".news-editor[data-ready=true]")
    image = page.locator(".ql-editor img")
    assert image.count() == 1
    assert image.get_attribute("alt") == "نمای نزدیک از نشست کارگروه"
    assert image.get_attribute("src").startswith("/media/news/")
    assert page.locator(".ql-editor h2").inner_text() == "تیتر میانی خبر"
    page.screenshot(path=screenshots / "editor-2-reopened.png", full_page=True)
    assert csp == []  # the editor works under the site's CSP, no 'unsafe-inline'
    edit_url = page.url

    # Without JavaScript: the same body as text with line marks, never a tag.
    plain = browser.new_context(
        base_url=server.base_url,
        locale="fa-IR",
        java_script_enabled=False,
        storage_state=context.storage_state(),
    )
    nojs = plain.new_page()
    nojs.goto(edit_url)
    box = nojs.locator("#id_body")
    assert box.is_visible()
    value = box.input_value()
    assert "## تیتر میانی خبر" in value
    assert "- مورد یکم\n- مورد دوم" in value
    assert "بند نخست با واژه پررنگ در میان." in value
    assert "<" not in value.replace("![", "")
    nojs.screenshot(path=screenshots / "editor-3-no-javascript.png", full_page=True)
    box.fill(value + "\n\nبند افزوده بی‌جاوااسکریپت.")
    nojs.click("form[action*='/news/'] button[type=submit]:has-text('ذخیره')")
    nojs.wait_for_load_state()
    again = nojs.locator("#id_body").input_value()
    assert "بند افزوده بی‌جاوااسکریپت." in again
    assert "## تیتر میانی خبر" in again and "<" not in again.replace("![", "")
    plain.close()

    # Back with JavaScript: the heading and the list survived the plain save.
    page.goto(edit_url)
    page.wait_for_selector(".news-editor[data-ready=true]")
    assert page.locator(".ql-editor h2").inner_text() == "تیتر میانی خبر"
    assert page.locator(".ql-editor li").count() == 2
    assert "بند افزوده بی‌جاوااسکریپت." in page.locator(".ql-editor").inner_text()
    context.close()
