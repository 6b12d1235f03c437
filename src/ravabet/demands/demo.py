"""Demo demands: original text written for the demo, in several states."""

from __future__ import annotations

DEMANDS: list[dict] = [
    {
        "office": "ilam-governorate", "kind": "request", "days_ago": 3, "name": "شهروند نمایشی",
        "subject": "روشنایی معابر بلوار دانشجو",
        "body": "چراغ‌های بلوار دانشجو از دو هفته پیش خاموش است و عبور شبانه دشوار شده است.",
        "email": "citizen1@demo.ravabet.example", "publish": True,
    },
    {
        "office": "ilam-governorate", "kind": "question", "days_ago": 20, "name": "شهروند نمایشی",
        "subject": "زمان ثبت‌نام تسهیلات مسکن",
        "body": "ثبت‌نام تسهیلات مسکن جوانان از چه تاریخی آغاز می‌شود؟",
        "mobile": "09120000000", "publish": True,
        "answer": "ثبت‌نام از نیمه ماه آینده در سامانه ملی مسکن آغاز می‌شود و خبر آن منتشر خواهد شد.",
        "answer_after_days": 2, "satisfied": True,
    },
    {
        "office": "ilam-roads", "kind": "complaint", "days_ago": 40, "name": "شهروند نمایشی",
        "subject": "چاله‌های جاده ایلام به مهران",
        "body": "در کیلومتر ۱۲ جاده ایلام به مهران چند چاله عمیق ایجاد شده است.",
        "email": "citizen2@demo.ravabet.example", "publish": True,
        "answer": "گروه راهداری اعزام شد و ترمیم آسفالت این بخش تا پایان هفته انجام می‌شود.",
        "answer_after_days": 16, "satisfied": False,
    },
    {
        "office": "kahrizak", "kind": "suggestion", "days_ago": 30, "name": "شهروند نمایشی",
        "subject": "پیشنهاد ایستگاه دوچرخه",
        "body": "پیشنهاد می‌شود در میدان اصلی کهریزک ایستگاه دوچرخه اشتراکی راه‌اندازی شود.",
        "email": "citizen3@demo.ravabet.example",
    },
    {
        "office": "mehran", "kind": "appreciation", "days_ago": 8, "name": "شهروند نمایشی",
        "subject": "قدردانی از پاسخگویی فرمانداری",
        "body": "از پیگیری سریع درخواست آب‌رسانی روستای ما سپاسگزاریم.",
        "publish": True, "mobile": "09130000000",
        "answer": "از لطف شما سپاسگزاریم؛ پاسخگویی وظیفه ماست.",
        "answer_after_days": 1,
    },
]  # fmt: skip
