"""Issue 13, item 12: at 390 px the demand inbox and the audit log show every column (the
deadline above all) as cards, not behind a horizontal scroll; the audit log reads in Persian."""

from __future__ import annotations

WIDTH = 390


def _inside_the_screen(locator) -> bool:
    box = locator.bounding_box()
    return box is not None and box["x"] >= 0 and box["x"] + box["width"] <= WIDTH


def test_inbox_shows_the_deadline_at_390px(staff_context, screenshots):
    page = staff_context.new_page()
    page.set_viewport_size({"width": WIDTH, "height": 844})
    page.goto("/staff/ilam-governorate/demands/?status=")
    due = page.locator("table.inbox tbody td.due").first
    assert due.is_visible()
    assert _inside_the_screen(due)
    assert "مهلت" in due.evaluate("td => getComputedStyle(td, '::before').content")
    # The page itself does not scroll sideways either.
    assert page.evaluate("document.documentElement.scrollWidth") <= WIDTH
    page.screenshot(path=screenshots / "narrow-inbox-390.png", full_page=True)
    page.close()


def test_audit_log_reads_in_persian_at_390px(staff_context, screenshots):
    page = staff_context.new_page()
    page.set_viewport_size({"width": WIDTH, "height": 844})
    page.goto("/staff/ilam/audit/?subtree=1")
    rows = page.locator("table.cards tbody tr")
    assert rows.count() > 0
    first = rows.first
    for cell in first.locator("td").all():
        assert _inside_the_screen(cell)
    actions = page.locator("table.cards tbody td:nth-child(3)").all_inner_texts()
    assert not [a for a in actions if "." in a and a.isascii()]  # no raw codes like role.grant
    assert page.evaluate("document.documentElement.scrollWidth") <= WIDTH
    page.screenshot(path=screenshots / "narrow-audit-390.png", full_page=True)
    page.close()
