"""Version 1 of the criteria tree, written for Ravabet (loaded by `ensure_default_criteria`).

Seven sections in the manner of the provincial PR festivals' indices; each indicator names its
formula, its source and its minimum sample. Weights are relative (they are normalised).
"""

from __future__ import annotations

from typing import Any

RUBRIC_QUALITY = {
    "1": "خبرها بدون ساختار خبری، بدون لید و منبع؛ عکس ندارند یا بی‌کیفیت‌اند.",
    "2": "ساختار خبری گاهی رعایت می‌شود؛ تیتر و لید اغلب گویا نیستند.",
    "3": "بیشتر خبرها تیتر، لید و منبع دارند؛ عکس‌ها مناسب‌اند اما توضیح ندارند.",
    "4": "خبرها دقیق و به‌موقع‌اند، عکس با توضیح دارند و نسخه انگلیسی گاهی منتشر می‌شود.",
    "5": "همه خبرها دقیق، به‌موقع، با عکس و توضیح و برچسب؛ گزارش تصویری و ویدئویی منظم.",
}
RUBRIC_CRISIS = {
    "1": "در بحران اطلاع‌رسانی نشده یا با تأخیر بیش از یک روز.",
    "2": "اطلاع‌رسانی پراکنده، بدون منبع رسمی و بدون پیگیری.",
    "3": "اطلاع‌رسانی در همان روز با منبع رسمی، اما بدون به‌روزرسانی منظم.",
    "4": "اطلاع‌رسانی در چند ساعت نخست و به‌روزرسانی منظم تا پایان بحران.",
    "5": "اطلاع‌رسانی فوری، به‌روزرسانی منظم، پاسخ به شایعات و هماهنگی با رسانه‌ها.",
}
RUBRIC_EVIDENCE = {
    "1": "مستندی ارائه نشده یا مستند به موضوع ربطی ندارد.",
    "2": "مستند ناقص؛ تاریخ، محل یا نتیجه روشن نیست.",
    "3": "مستند کامل اما فعالیت در حد معمول است.",
    "4": "مستند کامل با نتیجه روشن و سنجش‌پذیر.",
    "5": "مستند کامل، نتیجه سنجیده و تجربه برای دیگر دستگاه‌ها قابل استفاده است.",
}

# (code, Persian title, English title, weight, indicators)
# indicator: (code, kind, Persian, English, weight, numerator, denominator, metric, source,
#             min sample, target, rubric)
TREE: list[tuple[str, str, str, float, list[tuple[Any, ...]]]] = [
    ("news", "اطلاع‌رسانی و خبر", "News and information", 3, [
        ("published", "measured", "تعداد خبرهای منتشرشده", "News items published", 2,
         "خبرهای منتشرشده در دوره", "", "news.published", "خبر (news)", 0, 20, {}),
        ("regularity", "measured", "نظم انتشار در طول دوره", "Regularity across the period", 2,
         "هفته‌هایی که دست‌کم یک خبر منتشر شد", "هفته‌های دوره", "news.regularity",
         "خبر (news)", 1, None, {}),
        ("photo-share", "measured", "سهم خبرهای دارای عکس", "Share of items with a photo", 1,
         "خبرهای دارای عکس اصلی", "خبرهای منتشرشده", "news.photo_share", "خبر (news)", 5,
         None, {}),
        ("views", "measured", "بازدید به ازای هر خبر", "Views per item", 1,
         "بازدیدهای دوره از خبرهای دوره", "خبرهای منتشرشده", "news.views_per_item",
         "خبر (news)", 5, 150, {}),
        ("useful", "measured", "سهم رأی «مفید بود»", "Share of “useful” votes", 1,
         "رأی‌های «مفید بود»", "همه رأی‌های دوره", "news.useful_share", "خبر (news)", 20,
         None, {}),
        ("quality", "scored", "کیفیت خبر و گزارش تصویری", "Quality of news and photo reports", 2,
         "نمره ارزیاب (۱ تا ۵)", "", "", "ارزیاب", 0, None, RUBRIC_QUALITY),
    ]),
    ("responsiveness", "پاسخگویی به مردم", "Responsiveness to citizens", 3, [
        ("comments-answered", "measured", "سهم نظرهای پاسخ‌داده", "Comments answered", 1,
         "نظرهای منتشرشده‌ای که پاسخ رسمی گرفتند", "نظرهای منتشرشده خوانندگان",
         "comments.answered_share", "نظرها (comments)", 5, None, {}),
        ("comments-time", "measured", "میانه زمان پاسخ به نظر (ساعت)",
         "Median time to answer a comment (hours)", 1, "میانه ساعت تا نخستین پاسخ رسمی", "",
         "comments.answer_hours", "نظرها (comments)", 5, 24, {}),
        ("demands-on-time", "measured", "سهم مطالبات پاسخ‌داده در مهلت",
         "Demands answered on time", 2, "مطالبات پاسخ‌داده پیش از پایان مهلت (روز کاری)",
         "مطالبات رسیده", "demands.on_time_share", "مطالبات (demands)", 5, None, {}),
        ("demands-time", "measured", "میانه زمان پاسخ به مطالبه (روز کاری)",
         "Median time to answer a demand (working days)", 1, "میانه روزهای کاری تا پاسخ", "",
         "demands.answer_days", "مطالبات (demands)", 5, 3, {}),
        ("satisfaction", "measured", "رضایت شهروندان از پاسخ", "Citizens' satisfaction", 1,
         "پاسخ‌های رضایت‌بخش", "پاسخ‌های ارزیابی‌شده", "demands.satisfaction",
         "مطالبات (demands)", 5, None, {}),
    ]),
    ("coordination", "هماهنگی و شورا", "Coordination and council", 2, [
        ("decisions", "measured", "مصوبات انجام‌شده در موعد", "Council decisions done on time", 1,
         "مصوبات انجام‌شده در موعد", "مصوبات سررسیده", "council.decisions_on_time",
         "شورای هماهنگی (council)", 3, None, {}),
        ("attendance", "measured", "حضور در جلسات شورا", "Council meeting attendance", 1,
         "حضور", "دعوت", "council.attendance", "شورای هماهنگی (council)", 2, None, {}),
    ]),
    ("learning", "آموزش و تجربه‌نگاری", "Training and experience write-ups", 1, [
        ("training", "measured", "ساعت آموزش", "Training hours", 1, "ساعت‌های آموزش کارکنان",
         "", "events.training_hours", "رویدادها (events)", 0, 4, {}),
        ("experiences", "measured", "تجربه‌نگاری منتشرشده", "Experience write-ups published", 1,
         "تجربه‌نگاری‌های منتشرشده", "", "experiences.published", "تجربه‌نگاری (experiences)",
         0, 1, {}),
        ("experiences-reused", "measured", "تجربه‌های به‌کاررفته در دستگاه‌های دیگر",
         "Write-ups applied by other offices", 1, "به‌کارگیری‌ها توسط دیگران", "",
         "experiences.reused", "تجربه‌نگاری (experiences)", 0, 1, {}),
    ]),
    ("crisis", "اطلاع‌رسانی در بحران", "Crisis communication", 1, [
        ("crisis-speed", "scored", "سرعت و دقت اطلاع‌رسانی در بحران",
         "Speed and accuracy of crisis updates", 1, "نمره ارزیاب (۱ تا ۵)", "", "", "ارزیاب",
         0, None, RUBRIC_CRISIS),
    ]),
    ("media", "رسانه و پوشش", "Media and coverage", 1, [
        ("coverage", "evidence", "پوشش رسانه‌ای به‌دست‌آمده", "Coverage obtained", 1,
         "مستندات پوشش در رسانه‌ها (نمره ارزیاب)", "", "", "مستندات دستگاه", 0, None,
         RUBRIC_EVIDENCE),
    ]),
]  # fmt: skip
