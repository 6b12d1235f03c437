"""Background work of the demands app, run by django-tasks (the database worker by default).

`tick` is enqueued every few minutes by the scheduler that `ravabet serve` starts
(`ravabet demands_scheduler`); `deliver` sends queued messages right after they are committed.
"""

from __future__ import annotations

from django_tasks import task


@task()
def tick() -> dict[str, int]:
    from . import services

    return services.tick()


@task()
def deliver(notification_ids: list[int]) -> int:
    from . import services

    return services.deliver_pending(ids=notification_ids)
