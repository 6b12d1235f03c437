"""`ravabet enrolment_link USER`: a new one-time link for an account without an authenticator
(for example one made with `createsuperuser`, or whose first link expired)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from ravabet.network import enrolment, selectors, services
from ravabet.network.auth import confirmed_totp_device


class Command(BaseCommand):
    help = "Print a one-time enrolment link for an account that has no authenticator yet."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")

    def handle(self, *args: Any, **options: Any) -> None:
        user = selectors.active_user(options["username"])
        if user is None:
            raise CommandError("No active account has this user name.")
        if confirmed_totp_device(user) is not None:
            raise CommandError("This account already has an authenticator app.")
        services.record(None, "auth.enrol_link_made", target=user)
        self.stdout.write(enrolment.enrolment_url(user))
