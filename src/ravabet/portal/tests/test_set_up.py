"""Issue 13, item 13: the set-up follows the address it was given, keeps task output off the
terminal, and compiles the translations without warnings."""

from __future__ import annotations

import io
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from ravabet import cli
from ravabet.portal.management.commands.demo import Command as DemoCommand

ROOT = Path(__file__).resolve().parents[4]


ANYWHERE = "0.0.0.0"  # noqa: S104 - what `--host` is given, never bound here


def _site_url(tmp: Path, **env: str) -> str:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("RAVABET_")}
    clean.update(env, RAVABET_VAR_DIR=str(tmp))
    done = subprocess.run(
        [sys.executable, "-c", "import ravabet.settings as s; print(s.SITE_URL)"],
        env=clean,
        capture_output=True,
        text=True,
        check=True,
    )
    return done.stdout.strip()


def test_site_url_follows_the_port_and_host_given(tmp_path):
    assert _site_url(tmp_path, RAVABET_PORT="8101") == "http://127.0.0.1:8101"
    assert _site_url(tmp_path, RAVABET_PORT="8101", RAVABET_HOST=ANYWHERE) == (
        "http://127.0.0.1:8101"
    )
    assert _site_url(tmp_path, RAVABET_HOST="192.168.1.5") == "http://192.168.1.5:8000"
    assert (
        _site_url(tmp_path, RAVABET_PORT="8101", RAVABET_SITE_URL="https://pr.example.ir/")
        == "https://pr.example.ir"
    )


def test_serve_passes_its_port_to_settings_and_children(monkeypatch):
    for name in ("RAVABET_PORT", "RAVABET_HOST"):
        # setenv first so that monkeypatch restores the original state after serve() sets them
        monkeypatch.setenv(name, "")
        monkeypatch.delenv(name)
    seen = {}

    def stop_here():
        seen.update(port=os.environ.get("RAVABET_PORT"), host=os.environ.get("RAVABET_HOST"))
        raise SystemExit(0)

    monkeypatch.setattr(cli, "_setup_django", stop_here)
    with pytest.raises(SystemExit):
        cli.serve(["--port", "8101", "--host", ANYWHERE])
    assert seen == {"port": "8101", "host": ANYWHERE}


def test_demo_banner_links_to_the_site_url(settings):
    settings.SITE_URL = "http://127.0.0.1:8101"
    command = DemoCommand(stdout=io.StringIO())
    command._print_sign_in()
    banner = command.stdout._out.getvalue()
    assert "http://127.0.0.1:8101/accounts/login/" in banner
    assert ":8000" not in banner
    assert "a code signs in once" in banner


def test_task_output_goes_to_a_file_under_var(tmp_path):
    path = cli.task_log_path(tmp_path)
    assert path == tmp_path / "log" / "tasks.log"
    assert path.parent.is_dir()


@pytest.mark.skipif(shutil.which("msgfmt") is None, reason="gettext is not installed")
def test_catalogues_compile_without_warnings():
    catalogues = sorted((ROOT / "src" / "ravabet").glob("**/locale/fa/LC_MESSAGES/django.po"))
    assert len(catalogues) >= 5
    for po in catalogues:
        done = subprocess.run(
            ["msgfmt", "--check", "-o", os.devnull, str(po)], capture_output=True, text=True
        )
        assert done.returncode == 0, done.stderr
        assert done.stderr == "", done.stderr
