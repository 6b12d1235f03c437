"""Any write to an office or a quick link (through the services, the admin or a command)
changes the network's version stamp, so cached trees and footers are rebuilt."""

from __future__ import annotations

from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from .models import Office, QuickLink
from .versioning import bump_network_version


@receiver(post_save, sender=Office)
@receiver(post_delete, sender=Office)
@receiver(post_save, sender=QuickLink)
@receiver(post_delete, sender=QuickLink)
def network_changed(sender, **kwargs) -> None:
    # Bump now and again after commit: a reader between the write and the commit may cache the
    # old tree under the new stamp; the second bump retires that entry.
    bump_network_version()
    transaction.on_commit(bump_network_version)
