"""Background work of the council app, run by django-tasks: `tick` is enqueued by the scheduler
(`network.scheduler`, `RAVABET_SCHEDULE`) and sends the decisions' deadline reminders."""

from __future__ import annotations

from django_tasks import task


@task()
def tick() -> dict[str, int]:
    from . import services

    return services.tick()
