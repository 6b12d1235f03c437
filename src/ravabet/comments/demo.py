"""Demo comments (original text): some published, one answered by the office, some waiting."""

from __future__ import annotations

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from ravabet.news import selectors as news

from . import services
from .models import Comment

# (news source id, name, text, published?, the office's answer or "")
COMMENTS = [
    (
        "demo-02",
        "مریم",
        "تأکید بر پاسخگویی سریع به مطالبات مردم بسیار به‌جاست؛ امیدوارم در عمل هم دیده شود.",
        True,
        "سپاس از همراهی شما. گزارش پاسخگویی دستگاه‌ها هر ماه در همین پایگاه منتشر می‌شود.",
    ),
    ("demo-02", "", "کارگروه آموزش برای کارشناسان شهرستان‌ها هم دوره برگزار می‌کند؟", True, ""),
    (
        "demo-04",
        "حسین",
        "معیار پاسخگویی خوب است، ولی تلفن روابط عمومی برخی اداره‌ها جواب نمی‌دهد.",
        True,
        "",
    ),
    ("demo-04", "", "لطفا نتیجه ارزیابی روابط عمومی‌ها را منتشر کنید.", False, ""),
    ("demo-02", "", "salam, jalase kei bargozar mishe?", False, ""),
]


def load() -> int:
    """Create the demo comments that are missing; return how many were created."""
    created = 0
    now = timezone.now().replace(second=0, microsecond=0)
    for i, (source_id, name, text, published, answer) in enumerate(COMMENTS):
        item = news.item_by_source_id(source_id)
        if item is None or Comment.objects.filter(target_key=str(item.code), text=text).exists():
            continue
        with transaction.atomic():
            sent = now - timedelta(hours=20 - 3 * i)
            comment = Comment.objects.create(
                target_kind="news",
                target_key=str(item.code),
                office=item.office,
                name=name,
                text=text,
                client="demo",
                created_at=sent,
                status=Comment.Status.PUBLISHED if published else Comment.Status.PENDING,
                decided_at=sent + timedelta(hours=2) if published else None,
            )
            created += 1
            if answer:
                Comment.objects.create(
                    target_kind="news",
                    target_key=str(item.code),
                    office=item.office,
                    parent=comment,
                    name=item.office.name_fa,
                    text=answer,
                    is_official=True,
                    status=Comment.Status.PUBLISHED,
                    created_at=sent + timedelta(hours=3),
                    decided_at=sent + timedelta(hours=3),
                )
                created += 1
        services.run_triage(comment.pk)
    return created
