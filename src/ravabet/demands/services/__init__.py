"""Writes of the demands app, one module per job; this package re-exports the public names, so
callers keep writing `from ravabet.demands import services; services.answer(...)`.

- intake: a citizen submits a demand and rates its answer; the demo demands.
- workflow: staff assign, refer, answer, note and close (lock-then-check, docs/decisions.md).
- deadlines: per-office rules, the holiday list, the clock, and the scheduled tick.
- outbox: messages written with the change, sent after commit.
- figures: monthly responsiveness figures.
- attachments: what a citizen may attach, cleaned before storing.

Citizens' writes are audited as the system; every staff write ends in `network.services.record`.
"""

from .attachments import CleanAttachment, clean_attachment, report_missing_file
from .deadlines import (
    DATA_DIR,
    deadline_days,
    deadlines_of,
    load_holidays,
    set_deadlines,
    tick,
    today,
)
from .figures import month_bounds, month_of, rebuild_figures, refresh_figure, refresh_network_figure
from .intake import load_demo, rate, submit
from .outbox import deliver_pending
from .workflow import MAX_REFERRALS, add_note, answer, assign, close, refer, referral_offices

__all__ = [
    "DATA_DIR",
    "MAX_REFERRALS",
    "CleanAttachment",
    "add_note",
    "answer",
    "assign",
    "clean_attachment",
    "close",
    "deadline_days",
    "deadlines_of",
    "deliver_pending",
    "load_demo",
    "load_holidays",
    "month_bounds",
    "month_of",
    "rate",
    "rebuild_figures",
    "refer",
    "referral_offices",
    "refresh_figure",
    "refresh_network_figure",
    "report_missing_file",
    "set_deadlines",
    "submit",
    "tick",
    "today",
]
