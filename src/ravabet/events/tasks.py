"""Background work of the events app, run by django-tasks.

`retention` is enqueued once a day by the scheduler (`RAVABET_SCHEDULE`): guests' personal data
is anonymised N months after their event (`ravabet events_retention` does the same by hand).
"""

from __future__ import annotations

from django_tasks import task


@task()
def retention() -> int:
    from . import services

    return services.anonymise_guests()
