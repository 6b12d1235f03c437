"""Background index updates (run by `ravabet serve`'s db_worker, or any django-tasks backend)."""

from __future__ import annotations

from typing import Any

from django_tasks import task

from . import services


@task()
def index_document_task(data: dict[str, Any]) -> None:
    services.index_document(services.IndexableDocument.from_json(data))


@task()
def remove_document_task(source: str, key: str) -> None:
    services.remove_document(source, key)
