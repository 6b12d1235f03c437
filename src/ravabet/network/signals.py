"""Any write to an office or a quick link (through the services, the admin or a command)
changes the network's version stamp, so cached trees and footers are rebuilt. A new account
(admin, `createsuperuser`, a command) is sent its one-time enrolment link."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from django.utils.translation import gettext as _
from django.utils.translation import override

from .models import Holiday, Office, QuickLink
from .versioning import bump_network_version


@receiver(post_save, sender=Office)
@receiver(post_delete, sender=Office)
@receiver(post_save, sender=QuickLink)
@receiver(post_delete, sender=QuickLink)
def network_changed(sender: type, **kwargs: Any) -> None:
    # The stamp is a row bumped in the write's own transaction: other processes see the new
    # number when, and only when, the write is committed.
    bump_network_version()


@receiver(post_save, sender=settings.AUTH_USER_MODEL)
def account_created(
    sender: type, instance: Any, created: bool, raw: bool = False, **kwargs: Any
) -> None:
    """Mail the new account its enrolment link once the creation is committed, unless by then
    it has an authenticator (the demo and tests make one at once) or no address."""
    if not created or raw or not instance.email:
        return
    transaction.on_commit(lambda: send_enrolment_link(instance))


def send_enrolment_link(user: Any) -> bool:
    from .auth import confirmed_totp_device
    from .enrolment import enrolment_url

    if confirmed_totp_device(user) is not None or not user.email:
        return False
    with override(settings.LANGUAGE_CODE):
        send_mail(
            _("Your staff account: set up sign-in"),
            _(
                "An account was made for you (user name: %(username)s). Open this link within "
                "three days, sign in with your password and set up your authenticator app. "
                "The link works once.\n\n%(url)s\n"
            )
            % {"username": user.get_username(), "url": enrolment_url(user)},
            None,
            [user.email],
        )
    return True


@receiver(post_save, sender=Holiday)
@receiver(post_delete, sender=Holiday)
def holidays_changed(sender: type, **kwargs: Any) -> None:
    # Every process computes deadlines with the new list once this write commits.
    from .workdays import forget_holidays

    forget_holidays()
