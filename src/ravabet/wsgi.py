"""WSGI entry point served by granian (`ravabet serve`)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ravabet.settings")
application = get_wsgi_application()
