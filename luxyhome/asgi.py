"""ASGI entry point, for when real-time updates arrive."""

import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "luxyhome.settings")
application = get_asgi_application()
