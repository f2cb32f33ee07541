# the Celery app is loaded with Django, so every @shared_task binds to it (and to its broker)
from luxyhome.celery import app as celery_app

__all__ = ["celery_app"]
