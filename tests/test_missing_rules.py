"""What a test may skip for lack of something (the shared data folder, Chromium): on a
developer's machine it skips, under CI (CI=true) it fails."""

from __future__ import annotations

import pytest

from ravabet import conftest as rules


@pytest.fixture
def no_shared(tmp_path, monkeypatch):
    monkeypatch.setattr(rules, "SHARED", tmp_path / "absent")


def test_shared_folder_missing_skips_outside_ci(no_shared, monkeypatch):
    monkeypatch.delenv("CI", raising=False)
    with pytest.raises(pytest.skip.Exception):
        rules.shared_path("seeds")


def test_shared_folder_missing_fails_under_ci(no_shared, monkeypatch):
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match="CI=true"):
        rules.shared_path("data", "normalization")


def test_shared_folder_present_is_returned(tmp_path, monkeypatch):
    (tmp_path / "seeds").mkdir()
    monkeypatch.setattr(rules, "SHARED", tmp_path)
    assert rules.shared_path("seeds") == tmp_path / "seeds"


def test_no_chromium_fails_under_ci(monkeypatch):
    monkeypatch.setattr(rules, "chromium_path", lambda: None)
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match="Chromium"):
        rules.require_chromium()
    monkeypatch.delenv("CI")
    with pytest.raises(pytest.skip.Exception):
        rules.require_chromium()


def test_chrome_path_must_exist(tmp_path, monkeypatch):
    monkeypatch.setenv("CHROME_PATH", str(tmp_path / "no-chromium"))
    assert rules.chromium_path() is None
    browser = tmp_path / "chromium"
    browser.write_text("")
    monkeypatch.setenv("CHROME_PATH", str(browser))
    assert rules.chromium_path() == str(browser)
