"""`ravabet demo_code`: the current second-factor code of the demo accounts (demo key only)."""

from django.core.management.base import BaseCommand
from django_otp.oath import totp

from ravabet.portal import demo_data


class Command(BaseCommand):
    help = "Print the current TOTP code shared by the demo staff accounts."

    def handle(self, *args, **options):
        self.stdout.write(f"{totp(bytes.fromhex(demo_data.DEMO_TOTP_KEY)):06d}")
