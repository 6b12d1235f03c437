"""View counts buffered in memory and flushed to the database in batches.

A page view only increments a counter in this process (no SQL on the hot path). A daemon thread
flushes the counts every `RAVABET_VIEW_FLUSH_SECONDS` (default 10) — one UPDATE per item seen
plus one per-day row — and once more when the process exits, so most-viewed lists are right
within a minute. Counts of a process that is killed hard are lost: views are a signal, not money.
"""

from __future__ import annotations

import atexit
import logging
import threading
from collections import Counter

from django.conf import settings
from django.db import IntegrityError, close_old_connections, transaction
from django.db.models import F
from django.utils import timezone

from .models import DailyViews, NewsItem

logger = logging.getLogger(__name__)
_lock = threading.Lock()
_pending: Counter[int] = Counter()
_thread: threading.Thread | None = None


def _interval() -> float:
    return float(getattr(settings, "RAVABET_VIEW_FLUSH_SECONDS", 10))


def count_view(code: int) -> None:
    """Count one view of the item with this news code (cheap; written later by `flush`)."""
    global _thread
    with _lock:
        _pending[code] += 1
        if _thread is None and _interval() > 0:
            _thread = threading.Thread(target=_loop, name="ravabet-view-flush", daemon=True)
            _thread.start()


def discard() -> None:
    """Forget the buffered counts (tests start from an empty buffer)."""
    with _lock:
        _pending.clear()


def pending() -> dict[int, int]:
    with _lock:
        return dict(_pending)


def flush() -> int:
    """Write the buffered counts; return how many views were written."""
    with _lock:
        batch = dict(_pending)
        _pending.clear()
    if not batch:
        return 0
    today = timezone.localdate()
    try:
        with transaction.atomic():
            ids = dict(NewsItem.objects.filter(code__in=batch).values_list("code", "pk"))
            for code, count in sorted(batch.items()):
                news_id = ids.get(code)
                if news_id is None:
                    continue
                NewsItem.objects.filter(pk=news_id).update(view_count=F("view_count") + count)
                updated = DailyViews.objects.filter(news_id=news_id, day=today).update(
                    count=F("count") + count
                )
                if not updated:
                    try:
                        with transaction.atomic():
                            DailyViews.objects.create(news_id=news_id, day=today, count=count)
                    except IntegrityError:  # another process created today's row first
                        DailyViews.objects.filter(news_id=news_id, day=today).update(
                            count=F("count") + count
                        )
    except Exception:
        with _lock:  # keep the counts for the next try
            _pending.update(batch)
        raise
    return sum(batch.values())


def _loop() -> None:
    import time

    while True:
        time.sleep(_interval())
        try:
            flush()
        except Exception:  # the counts stay pending; retried on the next tick
            logger.exception("view counts could not be written")
        finally:
            close_old_connections()


@atexit.register
def _flush_at_exit() -> None:
    try:
        flush()
    except Exception:  # the interpreter is going away; say so
        logger.exception("view counts lost at exit")
