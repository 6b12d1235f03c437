"""The XLSX export of a period (XlsxWriter: write-only, constant memory, right-to-left sheets;
docs/decisions.md)."""

from __future__ import annotations

import io
from typing import Any

import xlsxwriter

from .models import PeerGroup, Period, Tier
from .selectors import Overview

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

_SCORE_COLUMNS = [
    ("office", "دستگاه"), ("slug", "نشانی"), ("section", "محور"), ("indicator", "شاخص"),
    ("code", "کد"), ("kind", "نوع"), ("status", "وضعیت"), ("numerator", "صورت"),
    ("denominator", "مخرج"), ("value", "مقدار"), ("sample", "نمونه"), ("low", "کران پایین ۹۵٪"),
    ("high", "کران بالای ۹۵٪"), ("points", "امتیاز"), ("mark", "نمره ارزیاب"),
]  # fmt: skip


def workbook(period: Period, overview: Overview, rows: list[dict[str, Any]]) -> bytes:
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True, "constant_memory": True})
    bold = book.add_format({"bold": True})
    groups = dict(PeerGroup.choices)
    tiers = dict(Tier.choices)
    results = book.add_worksheet("نتایج")
    results.right_to_left()
    header = ["دستگاه", "گروه همتا", "امتیاز کل", "سهم شاخص‌های معتبر", "سطح", "بهبود", "اعتراض باز"]
    results.write_row(0, 0, header, bold)
    for n, result in enumerate(overview.results, start=1):
        results.write_row(
            n,
            0,
            [
                result.office.name_fa,
                str(groups.get(result.group, result.group)),
                result.total if result.total is not None else "",
                result.valid_share,
                str(tiers[result.tier]) if result.tier else "—",
                result.improvement if result.improvement is not None else "",
                overview.disputes.get(result.office_id, 0),
            ],
        )
    scores = book.add_worksheet("امتیازها")
    scores.right_to_left()
    scores.write_row(0, 0, [title for _key, title in _SCORE_COLUMNS], bold)
    for n, row in enumerate(rows, start=1):
        scores.write_row(
            n, 0, ["" if row[key] is None else row[key] for key, _title in _SCORE_COLUMNS]
        )
    about = book.add_worksheet("دوره")
    about.right_to_left()
    about.write_row(0, 0, ["دوره", period.key])
    about.write_row(1, 0, ["نسخه معیارها", period.version.number])
    about.write_row(2, 0, ["مرحله", str(period.get_stage_display())])
    book.close()
    return buffer.getvalue()
