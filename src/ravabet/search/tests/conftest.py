from __future__ import annotations

from datetime import datetime

import pytest
from django.utils import timezone

from ravabet.search.services import IndexableDocument, index_documents


def make_doc(office, key: str, title: str, text: str = "", **extra) -> IndexableDocument:
    extra.setdefault("published_at", timezone.make_aware(datetime(2026, 5, 17, 10, 0)))
    return IndexableDocument(
        source=extra.pop("source", "test"),
        key=key,
        office_id=office.pk,
        title=title,
        text=text,
        url=f"/news/{key}/",
        **extra,
    )


@pytest.fixture
def indexed(offices):
    """A handful of documents over the office tree."""
    docs = [
        make_doc(
            offices["gov"],
            "1",
            "برنامه‌های هفته روابط‌عمومی‌ها در ایلام",
            "مدیرکل روابط عمومی استانداری گفت: برنامه‌ها با رعایت پروتکل‌های بهداشتی برگزار می‌شود.",
            group="province",
            group_title="استان",
            tags=("روابط عمومی", "ایلام"),
        ),
        make_doc(
            offices["county"],
            "2",
            "نشست هیأت‌رئیسه شورای شهر مهران",
            "در این نشست که روز ۲۷ اردیبهشت برگزار شد، بودجه سال ۱۴۰۵ بررسی شد.",
            group="council",
            group_title="شورا",
            published_at=timezone.make_aware(datetime(2026, 1, 5, 9, 0)),
        ),
        make_doc(
            offices["agency"],
            "3",
            "Road safety week",
            "The roads agency opened the new bridge near Mehran.",
            language="en",
        ),
        make_doc(
            offices["county"],
            "4",
            "پیش‌نویس خبر محرمانه درباره سیل",
            "این خبر هنوز منتشر نشده است و سیل بزرگ را گزارش می‌کند.",
            is_public=False,
        ),
    ]
    index_documents(docs)
    return docs
