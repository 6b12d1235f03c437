"""`ravabet backup` and `ravabet restore`: the database, media and secret key in one archive.

An archive is a gzipped tar:

    manifest.json        format, date, database vendor, every file's size and SHA-256,
                         and the row count of every table at the moment of the backup
    database.sqlite3     SQLite's online backup API (a consistent copy while the site runs)
    database.pgdump      or pg_dump's custom format (one snapshot transaction; consistent too)
    secret_key           the deployment's SECRET_KEY (sessions, signed links, password resets)
    media/…              public media (news photos)
    private/…            private media (citizens' attachments)

`restore` checks every checksum before touching anything, refuses a deployment that already
holds content, restores, then compares the table counts with the manifest's. The archive
holds the secret key and citizens' files: keep it as secret as the database itself.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from collections.abc import Iterator
from datetime import UTC, datetime
from glob import glob
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.files.storage import FileSystemStorage, default_storage
from django.db import connection, connections

FORMAT = 1
MANIFEST = "manifest.json"
# A deployment is empty while these hold no rows (migrations seed other tables: holidays, news
# codes, search configuration; those are not content).
CONTENT_TABLES = ("auth_user", "network_office")


class BackupError(Exception):
    """The backup or restore cannot go on; the message says why in one line (Persian / English)."""


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def pg_binary(name: str) -> str:
    """pg_dump / pg_restore: from PATH, else the newest of Debian's /usr/lib/postgresql/*/bin."""
    found = shutil.which(name)
    if found:
        return found
    candidates = sorted(
        glob(f"/usr/lib/postgresql/*/bin/{name}"), key=lambda p: int(p.split("/")[4])
    )
    if not candidates:
        raise BackupError(f"{name} پیدا نشد / {name} was not found (apt install postgresql-client)")
    return candidates[-1]


def _pg_env(alias: str = "default") -> dict[str, str]:
    config = settings.DATABASES[alias]
    env = dict(os.environ)
    for key, var in (("HOST", "PGHOST"), ("PORT", "PGPORT"), ("USER", "PGUSER")):
        if config.get(key):
            env[var] = str(config[key])
    if config.get("PASSWORD"):
        env["PGPASSWORD"] = str(config["PASSWORD"])
    env["PGDATABASE"] = str(config["NAME"])
    return env


def public_media_root() -> Path | None:
    """The folder of public media, or None when media live elsewhere (S3: back them up there)."""
    if isinstance(default_storage, FileSystemStorage):
        return Path(default_storage.location)
    return None


def private_media_root() -> Path:
    return Path(
        getattr(settings, "RAVABET_PRIVATE_MEDIA_ROOT", None)
        or os.environ.get("RAVABET_PRIVATE_MEDIA_ROOT")
        or settings.VAR_DIR / "private"
    )


def table_counts(alias: str = "default") -> dict[str, int]:
    conn = connections[alias]
    counts: dict[str, int] = {}
    with conn.cursor() as cursor:
        for table in sorted(conn.introspection.table_names(cursor)):
            cursor.execute(f"SELECT COUNT(*) FROM {conn.ops.quote_name(table)}")  # noqa: S608
            counts[table] = int(cursor.fetchone()[0])
    return counts


def _files(folder: Path) -> Iterator[Path]:
    if folder.is_dir():
        for path in sorted(folder.rglob("*")):
            if path.is_file() and not path.is_symlink():
                yield path


def _dump_database(staging: Path) -> tuple[str, str]:
    vendor = connection.vendor
    if vendor == "sqlite":
        target = staging / "database.sqlite3"
        connection.ensure_connection()
        source = connection.connection  # the open connection: backup sees committed data only
        copy = sqlite3.connect(target)
        try:
            source.backup(copy)
        finally:
            copy.close()
        return vendor, target.name
    if vendor == "postgresql":
        target = staging / "database.pgdump"
        result = subprocess.run(
            [pg_binary("pg_dump"), "--format=custom", "--no-owner", "--no-privileges",
             "--file", str(target)],
            env=_pg_env(), capture_output=True, text=True, check=False,
        )  # fmt: skip
        if result.returncode != 0:
            raise BackupError(f"pg_dump ناموفق بود / pg_dump failed: {result.stderr.strip()}")
        return vendor, target.name
    raise BackupError(f"پایگاه‌داده پشتیبانی نمی‌شود / unsupported database: {vendor}")


def create(output: Path) -> dict[str, Any]:
    """Write the archive to `output` (atomically: a partial archive never has the final name)."""
    output = Path(output)
    output.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="ravabet-backup-") as tmp:
        staging = Path(tmp)
        # Counted before the dump: rows added in between are in the dump (counts are a floor
        # while the site runs; exact when it is quiet, as in the restore test).
        counts = table_counts()
        vendor, database_file = _dump_database(staging)
        (staging / "secret_key").write_text(settings.SECRET_KEY)
        entries: list[tuple[Path, str]] = [
            (staging / database_file, database_file),
            (staging / "secret_key", "secret_key"),
        ]
        media = public_media_root()
        for prefix, root in (("media", media), ("private", private_media_root())):
            if root is None:
                continue
            entries += [(p, f"{prefix}/{p.relative_to(root).as_posix()}") for p in _files(root)]
        manifest: dict[str, Any] = {
            "format": FORMAT,
            "created_at": datetime.now(UTC).isoformat(timespec="seconds"),
            "database": {"vendor": vendor, "file": database_file},
            "media_included": media is not None,
            "files": {
                name: {"size": p.stat().st_size, "sha256": _sha256(p)} for p, name in entries
            },
            "tables": counts,
        }
        (staging / MANIFEST).write_text(json.dumps(manifest, ensure_ascii=False, indent=1))
        partial = output.with_name(output.name + ".partial")
        with tarfile.open(partial, "w:gz") as archive:
            archive.add(staging / MANIFEST, MANIFEST)
            for path, name in entries:
                archive.add(path, name)
        os.replace(partial, output)
    return manifest


def _unpack(archive_path: Path, into: Path) -> dict[str, Any]:
    """Extract and check every checksum; a missing, extra or altered file stops the restore."""
    try:
        with tarfile.open(archive_path, "r:*") as archive:
            archive.extractall(into, filter="data")
    except (tarfile.TarError, OSError) as exc:
        raise BackupError(f"بایگانی خوانده نشد / the archive cannot be read: {exc}") from None
    try:
        manifest = json.loads((into / MANIFEST).read_text())
    except (OSError, ValueError) as exc:
        raise BackupError(f"فهرست بایگانی نامعتبر است / bad or missing manifest: {exc}") from None
    if manifest.get("format") != FORMAT:
        raise BackupError(
            f"قالب بایگانی ناشناخته است / unknown archive format {manifest.get('format')}"
        )
    listed = set(manifest["files"])
    present = {p.relative_to(into).as_posix() for p in _files(into)} - {MANIFEST}
    if present != listed:
        raise BackupError(
            "فایل‌های بایگانی با فهرست نمی‌خوانند / the archive's files do not match its manifest: "
            f"missing {sorted(listed - present)[:5]}, extra {sorted(present - listed)[:5]}"
        )
    for name, entry in manifest["files"].items():
        if _sha256(into / name) != entry["sha256"]:
            raise BackupError(f"چک‌سام نمی‌خواند / checksum mismatch: {name}")
    return manifest


def verify(archive_path: Path) -> dict[str, Any]:
    with tempfile.TemporaryDirectory(prefix="ravabet-verify-") as tmp:
        return _unpack(Path(archive_path), Path(tmp))


def _is_empty() -> list[str]:
    """Content tables of the target that hold rows; [] when the deployment is empty."""
    counts = table_counts()
    return [table for table in CONTENT_TABLES if counts.get(table)]


def _restore_database(staging: Path, manifest: dict[str, Any]) -> None:
    vendor = manifest["database"]["vendor"]
    source = staging / manifest["database"]["file"]
    if vendor == "sqlite":
        connection.close()
        target = Path(settings.DATABASES["default"]["NAME"])
        target.parent.mkdir(parents=True, exist_ok=True)
        src = sqlite3.connect(source)
        dst = sqlite3.connect(target)
        try:
            src.backup(dst)  # the online backup API, into the deployment's file (WAL-safe)
        finally:
            src.close()
            dst.close()
        return
    connection.close()
    result = subprocess.run(
        [pg_binary("pg_restore"), "--no-owner", "--no-privileges", "--clean", "--if-exists",
         "--single-transaction", "--exit-on-error",
         "--dbname", str(settings.DATABASES["default"]["NAME"]), str(source)],
        env=_pg_env(), capture_output=True, text=True, check=False,
    )  # fmt: skip
    if result.returncode != 0:
        raise BackupError(f"pg_restore ناموفق بود / pg_restore failed: {result.stderr.strip()}")


def _copy_tree(source: Path, target: Path) -> int:
    copied = 0
    for path in _files(source):
        dest = target / path.relative_to(source)
        dest.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(path, dest)
        copied += 1
    return copied


def restore(archive_path: Path, *, force: bool = False) -> dict[str, Any]:
    """Restore the archive into this (empty) deployment; returns a summary."""
    with tempfile.TemporaryDirectory(prefix="ravabet-restore-") as tmp:
        staging = Path(tmp)
        manifest = _unpack(Path(archive_path), staging)
        vendor = manifest["database"]["vendor"]
        if vendor != connection.vendor:
            raise BackupError(
                f"بایگانی از {vendor} است و این استقرار {connection.vendor} / the archive holds a "
                f"{vendor} database and this deployment uses {connection.vendor}"
            )
        full = _is_empty()
        if full and not force:
            raise BackupError(
                "این استقرار خالی نیست؛ بازگردانی انجام نشد / this deployment is not empty "
                f"({', '.join(full[:5])} hold rows): restore into an empty one, or pass --force"
            )
        media = public_media_root()
        for root in (media, private_media_root()):
            if root is not None and any(_files(root)) and not force:
                raise BackupError(
                    f"پوشه‌ی {root} خالی نیست / {root} is not empty: restore into an empty "
                    "deployment, or pass --force"
                )
        _restore_database(staging, manifest)
        copied = 0
        for prefix, root in (("media", media), ("private", private_media_root())):
            if root is not None:
                copied += _copy_tree(staging / prefix, root)
        key = (staging / "secret_key").read_text().strip()
        key_note = _restore_key(key)
    counts = table_counts()
    differ = {
        table: (expected, counts.get(table))
        for table, expected in manifest["tables"].items()
        if counts.get(table) != expected
    }
    if differ:
        raise BackupError(
            "شمار ردیف‌ها نمی‌خواند / row counts differ after the restore (expected, found): "
            f"{dict(list(differ.items())[:5])}"
        )
    return {"manifest": manifest, "files": copied, "key": key_note, "tables": len(counts)}


def _restore_key(key: str) -> str:
    configured = os.environ.get("RAVABET_SECRET_KEY", "").strip()
    if configured:
        if configured == key:
            return "RAVABET_SECRET_KEY already holds the archive's key"
        return (
            "RAVABET_SECRET_KEY differs from the archive's key: set it to the archive's "
            "secret_key, or sessions and signed links made before the backup stop working"
        )
    path = Path(settings.VAR_DIR) / "secret_key"
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as handle:
        handle.write(key)
    return f"the archive's key was written to {path}; restart every ravabet process"
