"""ASGI entry point: the sockets under /ws/ (Channels, luxyhome.routing) and HTTP (Django), served by
`uvicorn luxyhome.asgi:application`. In production gunicorn serves HTTP (luxyhome.wsgi) and this
process only the sockets; `make run` serves both from it."""

import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "luxyhome.settings")
# A socket's database work runs on thread-pool threads that no request ever finishes, so a kept
# connection would stay open for good: this process closes each one after use.
os.environ["CONN_MAX_AGE"] = "0"
django_application = get_asgi_application()  # sets Django up before the consumers are imported

from channels.routing import ProtocolTypeRouter  # noqa: E402

from luxyhome.routing import websocket_application  # noqa: E402

application = ProtocolTypeRouter({"http": django_application, "websocket": websocket_application})
