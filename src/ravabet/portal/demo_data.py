"""The demo network: offices from the seed pages, demo staff for every role.

Original text written for the demo; nothing here is copied from elsewhere.
"""

from __future__ import annotations

# (slug, parent slug, kind, Persian name, English name)
OFFICES: list[tuple[str, str | None, str, str, str]] = [
    ("ilam", None, "directorate", "اداره‌کل روابط عمومی استانداری ایلام",
     "Public Relations Directorate of Ilam Governorate"),
    ("ilam-governorate", "ilam", "governorate", "استانداری ایلام", "Ilam Governorate"),
    ("ilam-roads", "ilam-governorate", "agency", "اداره‌کل راه و شهرسازی استان ایلام",
     "Ilam Roads and Urban Development"),
    ("ilam-health", "ilam-governorate", "agency", "دانشگاه علوم پزشکی ایلام",
     "Ilam University of Medical Sciences"),
    ("ilam-heritage", "ilam-governorate", "agency",
     "اداره‌کل میراث فرهنگی، گردشگری و صنایع‌دستی استان ایلام",
     "Ilam Cultural Heritage, Tourism and Handicrafts"),
    ("mehran", "ilam-governorate", "county", "فرمانداری مهران", "Mehran County Governorate"),
    ("salehabad", "mehran", "district", "بخشداری صالح‌آباد", "Salehabad District Governorate"),
    ("dehloran", "ilam-governorate", "county", "فرمانداری دهلران", "Dehloran County Governorate"),
    ("tehran", None, "directorate",
     "اداره‌کل روابط عمومی و امور بین‌الملل استانداری تهران",
     "Public Relations and International Affairs Directorate of Tehran Governorate"),
    ("tehran-governorate", "tehran", "governorate", "استانداری تهران", "Tehran Governorate"),
    ("rey", "tehran-governorate", "county", "فرمانداری ری", "Rey County Governorate"),
    ("kahrizak", "rey", "district", "بخشداری کهریزک", "Kahrizak District Governorate"),
    ("eslamshahr", "tehran-governorate", "county", "فرمانداری اسلامشهر",
     "Eslamshahr County Governorate"),
    ("tehran-sports", "tehran-governorate", "agency", "اداره‌کل ورزش و جوانان استان تهران",
     "Tehran Sports and Youth"),
]  # fmt: skip

# One province per deployment (docs/decisions.md): a portal is one province's PR network, so the
# demo loads one province's tree; Tehran's is there to try the same code for another province
# (`ravabet demo --province tehran` on its own database), never mixed with Ilam's.
PROVINCES = {"ilam": "ایلام", "tehran": "تهران"}
DEFAULT_PROVINCE = "ilam"


def offices_of(province: str) -> list[tuple[str, str | None, str, str, str]]:
    """The offices of one province's tree, parents before children."""
    inside = {province}
    chosen = []
    for office in OFFICES:
        slug, parent = office[0], office[1]
        if slug == province or parent in inside:
            inside.add(slug)
            chosen.append(office)
    return chosen


DESCRIPTIONS = {
    "ilam": "دبیرخانه شورای هماهنگی روابط عمومی‌های استان ایلام و راهبر شبکه روابط عمومی دستگاه‌های اجرایی، فرمانداری‌ها و بخشداری‌های استان.",
    "ilam-governorate": "روابط عمومی استانداری ایلام؛ خانه مردم در استانداری و پل ارتباط دوسویه مردم و مدیران.",
    "kahrizak": "روابط عمومی بخشداری کهریزک، میزبان نخستین نشست شورای هماهنگی روابط عمومی بخشداری‌های استان تهران.",
    "tehran": "راهبری کارگروه‌های تخصصی روابط عمومی استان تهران: آموزش، اخبار، ارزیابی، انتخابات، رسانه و فضای مجازی و مدیریت بحران در رسانه.",
}  # fmt: skip

CONTACTS = {
    "ilam": ("084-33338000", "pr@ilam.example.ir", "ایلام، بلوار استانداری، ساختمان شماره ۱"),
    "tehran": ("021-66700000", "pr@tehran.example.ir", "تهران، خیابان فاطمی، استانداری تهران"),
    "kahrizak": ("021-56230000", "pr@kahrizak.example.ir", "کهریزک، میدان بخشداری"),
}

# The e-services block of seed 000, with addresses kept inside the demo's own example domain.
QUICK_LINKS = {
    "ilam": [
        ("سامانه ارتباط مردم و دولت", "People–government contact", "https://sameh.example.ir/"),
        ("پیشخوان خدمات دولت", "Government services counter", "https://pishkhan.example.ir/"),
        ("سامانه سفرهای استانی", "Provincial visits", "https://visits.example.ir/"),
        ("پایگاه ملی اطلاع‌رسانی قوانین", "National laws portal", "https://laws.example.ir/"),
    ],
    "tehran": [
        ("سامانه ارتباط مردم و دولت", "People–government contact", "https://sameh.example.ir/"),
        ("درگاه ملی مجوزها", "National permits portal", "https://permits.example.ir/"),
    ],
}  # fmt: skip

DEMO_PASSWORD = "ravabet-demo-1405"  # noqa: S105 - printed by `ravabet demo` on purpose

# (username, office slug, role, full name): one account for every role, plus network-wide ones.
STAFF: list[tuple[str, str, str, str]] = [
    ("manager", "ilam", "manager", "مدیرکل روابط عمومی (نمایشی)"),
    ("editor", "ilam-governorate", "editor", "دبیر خبر استانداری (نمایشی)"),
    ("author", "ilam-governorate", "author", "خبرنگار استانداری (نمایشی)"),
    ("moderator", "ilam-governorate", "moderator", "ناظر نظرات (نمایشی)"),
    ("responder", "ilam-governorate", "responder", "پاسخگوی مطالبات (نمایشی)"),
    ("reviewer", "ilam", "reviewer", "بازبین (نمایشی)"),
    ("tehran-manager", "tehran", "manager", "مدیرکل روابط عمومی استانداری تهران (نمایشی)"),
    ("kahrizak-manager", "kahrizak", "manager", "مدیر روابط عمومی بخشداری کهریزک (نمایشی)"),
    # The evaluation: a county's PR manager (replies for the county and its districts) and two
    # members of the evaluation working group (authors at the directorate: their own office).
    ("mehran-manager", "mehran", "manager", "مدیر روابط عمومی فرمانداری مهران (نمایشی)"),
    ("evaluator", "ilam", "author", "ارزیاب کارگروه ارزیابی (نمایشی)"),
    ("auditor", "ilam", "author", "ارزیاب دوم کارگروه ارزیابی (نمایشی)"),
]

# A fixed, public TOTP key so that the demo prints the same instructions every time. Demo
# accounts are for a demo database only: never run `ravabet demo` against production.
DEMO_TOTP_KEY = "3132333435363738393031323334353637383930"
