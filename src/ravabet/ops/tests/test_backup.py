"""`ravabet backup` / `ravabet restore`: a demo with content, backed up, restored into an empty
deployment elsewhere, serves the same public pages with the same counts (issue 19).

Real commands in their own processes and folders (SQLite; PostgreSQL as well when the suite runs
on it, in two databases of this test's own), as an operator would run them.
"""

from __future__ import annotations

import io
import json
import os
import shutil
import subprocess
import tarfile
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest

from ravabet.liveserver import ravabet, server_env


def _fingerprint(env: dict[str, str]) -> dict:
    # DEBUG: the pages' static links without collectstatic's manifest in these bare folders.
    return json.loads(ravabet("fingerprint", env={**env, "RAVABET_DEBUG": "1"}))


def _postgres_urls() -> tuple[str, str] | None:
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgres"):
        return None
    base = os.environ.get("RAVABET_TEST_DB_NAME", "ravabet_test")
    parts = urlsplit(url)
    return tuple(  # type: ignore[return-value]
        urlunsplit(parts._replace(path=f"/{base}_backup_{side}")) for side in ("src", "dst")
    )


def _fresh_postgres_database(url: str) -> None:
    import psycopg

    parts = urlsplit(url)
    admin = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as conn:
        name = parts.path.lstrip("/")
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def deployments(request, tmp_path_factory):
    """(source env, target env, archive): a demo backed up; the target is empty but migrated."""
    extra_src: dict[str, str] = {}
    extra_dst: dict[str, str] = {}
    if request.param == "sqlite" and _postgres_urls() is not None:
        pytest.skip("the SQLite variant runs in the SQLite suite (once is enough)")
    if request.param == "postgresql":
        urls = _postgres_urls()
        if urls is None:
            pytest.skip("the PostgreSQL variant runs in the PostgreSQL suite (DATABASE_URL)")
        for url in urls:
            _fresh_postgres_database(url)
        extra_src, extra_dst = {"DATABASE_URL": urls[0]}, {"DATABASE_URL": urls[1]}
    source = server_env(tmp_path_factory.mktemp("source"), extra_src)
    target = server_env(tmp_path_factory.mktemp("target"), extra_dst)
    ravabet("migrate", "--no-input", "-v", "0", env=source)
    ravabet("demo", "--i-know-this-is-not-production", "-v", "0", env=source)
    archive = tmp_path_factory.mktemp("archives") / "site.tar.gz"
    ravabet("backup", "--output", str(archive), env=source)
    # `ravabet serve` migrates before anything: the usual state of a new, empty deployment.
    ravabet("migrate", "--no-input", "-v", "0", env=target)
    return source, target, archive


def test_a_restored_demo_serves_the_same_public_pages_and_counts(deployments):
    source, target, archive = deployments
    out = ravabet("restore", str(archive), env=target)
    assert "row counts match the manifest" in out
    before, after = _fingerprint(source), _fingerprint(target)
    assert before["tables"]["news_newsitem"] > 0 and before["tables"]["comments_comment"] > 0
    assert len(before["media"]) > 0
    assert sum(1 for status, _ in before["pages"].values() if status == 200) > 20
    assert after["tables"] == before["tables"]
    assert after["media"] == before["media"]
    differing = [
        path for path in before["pages"] if before["pages"][path] != after["pages"].get(path)
    ]
    assert differing == []
    assert after["pages"].keys() == before["pages"].keys()
    # The secret key came along: sessions and signed links made before the backup still hold.
    assert (Path(target["RAVABET_VAR_DIR"]) / "secret_key").read_text() == (
        Path(source["RAVABET_VAR_DIR"]) / "secret_key"
    ).read_text()
    # A deployment that holds content is not overwritten by mistake.
    with pytest.raises(RuntimeError, match="not empty"):
        ravabet("restore", str(archive), env=target)


def _rewrite(archive: Path, out: Path, change) -> None:
    with tarfile.open(archive) as source, tarfile.open(out, "w:gz") as target:
        for member in source.getmembers():
            data = source.extractfile(member).read() if member.isfile() else None
            data, member = change(member, data)
            if member is None:
                continue
            if data is not None:
                member.size = len(data)
                target.addfile(member, io.BytesIO(data))
            else:
                target.addfile(member)


def test_an_altered_or_incomplete_archive_is_refused_before_anything_is_touched(
    deployments, tmp_path
):
    source, _, archive = deployments
    empty = server_env(tmp_path / "empty")
    (tmp_path / "empty").mkdir()
    if "postgres" in source["DATABASE_URL"]:
        pytest.skip("the checks run before the database is looked at: once is enough")
    ravabet("backup", "--verify", str(archive), env=source)

    def alter_photo(member, data):
        if member.name.startswith("media/") and data is not None:
            return data[:-1] + bytes([data[-1] ^ 1]), member
        return data, member

    altered = tmp_path / "altered.tar.gz"
    _rewrite(archive, altered, alter_photo)
    with pytest.raises(RuntimeError, match="checksum mismatch"):
        ravabet("restore", str(altered), env=empty)

    def drop_photo(member, data):
        return (None, None) if member.name.startswith("media/") else (data, member)

    incomplete = tmp_path / "incomplete.tar.gz"
    _rewrite(archive, incomplete, drop_photo)
    with pytest.raises(RuntimeError, match="do not match its manifest"):
        ravabet("restore", str(incomplete), env=empty)
    assert not (tmp_path / "empty" / "media").exists()
    assert not (tmp_path / "empty" / "secret_key").exists() or (
        (tmp_path / "empty" / "secret_key").read_text()
        != (Path(source["RAVABET_VAR_DIR"]) / "secret_key").read_text()
    )


def test_pg_dump_is_found_where_debian_puts_it():
    from ravabet.ops.backup import pg_binary

    if shutil.which("pg_dump") is None and not list(Path("/usr/lib/postgresql").glob("*/bin")):
        pytest.skip("no PostgreSQL client here")
    assert Path(pg_binary("pg_dump")).name == "pg_dump"
    assert subprocess.run([pg_binary("pg_dump"), "--version"], capture_output=True).returncode == 0
