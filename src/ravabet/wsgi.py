"""WSGI entry point served by granian (`ravabet serve`).

Cached pages for anonymous readers are answered by the newsroom's fast path in front of Django
(ravabet/news/fastpath.py); everything else goes through Django as usual. Every answer is
counted for `/metrics` (ravabet/ops/metrics.py).
"""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ravabet.settings")
django_application = get_wsgi_application()

from ravabet.news.fastpath import FastPath  # noqa: E402 — needs the apps loaded above
from ravabet.ops.metrics import MetricsApplication  # noqa: E402
from ravabet.ops.middleware import DatabaseGuard  # noqa: E402

# Outermost: the metrics see every answer, the fast path's included (ops/metrics.py); inside
# them a lost database connection is a 503 to retry, also in the fast path (ops/middleware.py).
application = MetricsApplication(DatabaseGuard(FastPath(django_application)))
