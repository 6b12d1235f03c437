"""WSGI entry point served by granian (`ravabet serve`).

Cached pages for anonymous readers are answered by the newsroom's fast path in front of Django
(ravabet/news/fastpath.py); everything else goes through Django as usual.
"""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ravabet.settings")
django_application = get_wsgi_application()

from ravabet.news.fastpath import FastPath  # noqa: E402 — needs the apps loaded above

application = FastPath(django_application)
