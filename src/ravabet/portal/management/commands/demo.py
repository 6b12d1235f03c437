"""`ravabet demo`: load the demo network, staff and content. Running it twice changes nothing."""

from __future__ import annotations

import os
import time

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import transaction
from django_otp.oath import totp
from tqdm import tqdm

from ravabet.network import services as network
from ravabet.network.models import Office
from ravabet.portal import demo_data


class Command(BaseCommand):
    help = "Load the demo PR network of one province, staff for every role and demo news."

    def add_arguments(self, parser):
        parser.add_argument(
            "--province",
            choices=sorted(demo_data.PROVINCES),
            default=os.environ.get("RAVABET_DEMO_PROVINCE", demo_data.DEFAULT_PROVINCE),
            help="the province whose network is loaded (one province per deployment)",
        )

    def handle(self, *args, **options):
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
                    totp_key=demo_data.DEMO_TOTP_KEY,
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
        self._print_sign_in(set(offices))

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
