"""URLs that answer with and without a trailing slash and never redirect."""

from django.urls import re_path
from rest_framework import routers

OPTIONAL_SLASH = "/?"


class OptionalSlashRouter(routers.SimpleRouter):
    def __init__(self):
        super().__init__()
        self.trailing_slash = OPTIONAL_SLASH


def optional_slash_path(route: str, view, name: str):
    return re_path(rf"^{route}{OPTIONAL_SLASH}$", view, name=name)
