"""Background work of the experiences app (django-tasks) and its periodic job."""

from __future__ import annotations

from django_tasks import task


@task()
def reindex_task(experience_id: int) -> None:
    from . import search_feed

    search_feed.reindex(experience_id)


@task()
def remind_due_task() -> int:
    """Scheduled in RAVABET_SCHEDULE: reminders of write-ups whose review-by date has come."""
    from . import services

    return services.remind_due()
