"""Background work of the network: delivering the outbox (django-tasks; the database worker by
default). `deliver` runs right after a change commits (`outbox.send_after_commit`); the scheduler
calls `deliver_if_pending` every minute, which enqueues a delivery only when something waits (a
message whose first try failed, or one whose enqueue was lost)."""

from __future__ import annotations

from django_tasks import task


@task()
def deliver(message_ids: list[int] | None = None) -> int:
    from . import outbox

    return outbox.deliver_pending(ids=message_ids)


def deliver_if_pending() -> bool:
    """A cheap scheduled check (one indexed query); True when a delivery was enqueued."""
    from django.utils import timezone

    from . import outbox

    if not outbox._claimable(timezone.now(), sorted(outbox.notify.channels())).exists():
        return False
    deliver.enqueue(None)
    return True
