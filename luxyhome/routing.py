"""The sockets under /ws/ (DESIGN.md, Contract v2, Real time): luxyhome.asgi serves them."""

from channels.routing import URLRouter
from channels.security.websocket import WebsocketDenier
from django.conf import settings
from django.urls import re_path

from catalog.consumers import ProductConsumer
from luxyhome.sockets import BrowserOriginValidator
from orders.consumers import OrderConsumer

websocket_urlpatterns = [
    re_path(r"^ws/orders/?$", OrderConsumer.as_asgi()),
    re_path(r"^ws/products/(?P<product_id>[0-9]{1,18})/?$", ProductConsumer.as_asgi()),
    re_path(r"", WebsocketDenier.as_asgi()),  # any other path is refused (403), never a server error
]

websocket_application = BrowserOriginValidator(URLRouter(websocket_urlpatterns), settings.CORS_ALLOWED_ORIGINS)
