"""Any write to an office or a quick link (through the services, the admin or a command)
changes the network's version stamp, so cached trees and footers are rebuilt."""

from __future__ import annotations

from typing import Any

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from .models import Office, QuickLink
from .versioning import bump_network_version


@receiver(post_save, sender=Office)
@receiver(post_delete, sender=Office)
@receiver(post_save, sender=QuickLink)
@receiver(post_delete, sender=QuickLink)
def network_changed(sender: type, **kwargs: Any) -> None:
    # The stamp is a row bumped in the write's own transaction: other processes see the new
    # number when, and only when, the write is committed.
    bump_network_version()
