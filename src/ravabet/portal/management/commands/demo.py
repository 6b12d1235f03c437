"""`ravabet demo`: load the demo network, staff and content. Running it twice changes nothing.

The demo's staff accounts share one password and (on a demo database) one published TOTP key, so
the command refuses a database that may be production's: it runs on the embedded SQLite default
(no DATABASE_URL), with RAVABET_DEBUG=1, or when asked in so many words
(`--i-know-this-is-not-production`, or RAVABET_ALLOW_DEMO=1). Only on the first two does it
install the published key; asked explicitly, each demo account gets a fresh random key, printed
once (docs/decisions.md).
"""

from __future__ import annotations

import os
import secrets
import time
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection, transaction
from django_otp.oath import totp
from tqdm import tqdm

from ravabet.network import services as network
from ravabet.network.models import Office
from ravabet.portal import demo_data


class Command(BaseCommand):
    help = "Load the demo PR network of one province, staff for every role and demo news."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--province",
            choices=sorted(demo_data.PROVINCES),
            default=os.environ.get("RAVABET_DEMO_PROVINCE", demo_data.DEFAULT_PROVINCE),
            help="the province whose network is loaded (one province per deployment)",
        )
        parser.add_argument(
            "--i-know-this-is-not-production",
            action="store_true",
            dest="not_production",
            help="Load the demo into a database other than the embedded SQLite default.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        demo_database = is_demo_database()
        if not (demo_database or options["not_production"] or settings.RAVABET_ALLOW_DEMO):
            raise CommandError(
                "این پایگاه‌داده ممکن است پایگاه‌داده‌ی اصلی باشد؛ دمو بارگذاری نشد. / "
                "This database may be production's: the demo was not loaded. The demo runs on "
                "the embedded SQLite default or with RAVABET_DEBUG=1; for another database "
                "that is not production, pass --i-know-this-is-not-production."
            )
        # The published key only where the demo is the whole database; elsewhere one fresh key
        # per account, printed once below.
        keys: dict[str, str] = {}
        created = 0
        offices: dict[str, Office] = {}
        steps = demo_data.offices_of(options["province"])
        with transaction.atomic():
            for slug, parent, kind, name_fa, name_en in tqdm(
                steps, desc="offices", unit="office", disable=options["verbosity"] < 1
            ):
                phone, email, address = demo_data.CONTACTS.get(slug, ("", "", ""))
                office, new = network.ensure_office(
                    slug=slug,
                    parent=offices.get(parent) if parent else None,
                    kind=kind,
                    name_fa=name_fa,
                    name_en=name_en,
                    description_fa=demo_data.DESCRIPTIONS.get(slug, ""),
                    phone=phone,
                    email=email,
                    address_fa=address,
                )
                offices[slug] = office
                created += new
                if new:
                    for position, (title_fa, title_en, url) in enumerate(
                        demo_data.QUICK_LINKS.get(slug, [])
                    ):
                        office.quick_links.create(
                            title_fa=title_fa, title_en=title_en, url=url, position=position
                        )
            for username, slug, role, full_name in demo_data.STAFF:
                if slug not in offices:
                    continue
                user, new = network.ensure_staff_user(
                    username,
                    password=demo_data.DEMO_PASSWORD,
                    full_name=full_name,
                    email=f"{username}@demo.ravabet.example",
                    totp_key=keys.setdefault(
                        username,
                        demo_data.DEMO_TOTP_KEY if demo_database else secrets.token_hex(20),
                    ),
                )
                created += new
                _, new = network.ensure_membership(user, offices[slug], role)
                created += new
        from ravabet.portal import demo_content

        created += demo_content.load(offices, verbosity=options["verbosity"])
        self.stdout.write(
            self.style.SUCCESS(f"Demo loaded: {created} new records.")
            if created
            else "Demo already loaded: nothing changed."
        )
        if demo_database:
            self._print_sign_in(set(offices))
        else:
            self._print_own_keys(keys, created)

    def _print_own_keys(self, keys: dict[str, str], created: int) -> None:
        if not created:
            return
        self.stdout.write(
            f"\nDemo staff: password {demo_data.DEMO_PASSWORD}; each account has its own TOTP "
            "key (shown once; add it to an authenticator app):"
        )
        for username, key in keys.items():
            self.stdout.write(f"  {username:<18} {_base32(bytes.fromhex(key))}")

    def _print_sign_in(self, slugs: set[str] | None = None) -> None:
        key = bytes.fromhex(demo_data.DEMO_TOTP_KEY)
        left = 30 - int(time.time()) % 30
        self.stdout.write(
            f"\nDemo staff (sign in at {settings.SITE_URL}/accounts/login/):\n"
            f"  password for every account: {demo_data.DEMO_PASSWORD}\n"
            "  second factor: add this key to any authenticator app (TOTP, SHA1, 6 digits, 30 s)\n"
            f"    otpauth://totp/Ravabet:demo?secret={_base32(key)}&issuer=Ravabet\n"
            "  or print the current code with:  ravabet demo_code\n"
            f"  code right now: {totp(key):06d} (for {left} more seconds; a code signs in once,"
            " so a second sign-in waits for the next code)\n"
        )
        for username, slug, role, _ in demo_data.STAFF:
            if slugs is not None and slug not in slugs:
                continue
            self.stdout.write(f"  {username:<18} {role:<10} at /{slug}/")


def _base32(key: bytes) -> str:
    import base64

    return base64.b32encode(key).decode().rstrip("=")


def is_demo_database() -> bool:
    """The embedded SQLite default (var/ravabet.sqlite3, no DATABASE_URL), or DEBUG."""
    if settings.DEBUG:
        return True
    if connection.vendor != "sqlite":
        return False
    default = (Path(settings.VAR_DIR) / "ravabet.sqlite3").resolve()
    return Path(str(connection.settings_dict["NAME"])).resolve() == default
