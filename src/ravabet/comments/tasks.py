"""Background work of the comments app (django-tasks; `ravabet serve` runs a db_worker)."""

from __future__ import annotations

from django_tasks import task


@task()
def triage_comment(comment_id: int) -> dict[str, float]:
    """Label a submitted comment with the policy reasons that apply (see triage.py)."""
    from . import services

    return services.run_triage(comment_id)
