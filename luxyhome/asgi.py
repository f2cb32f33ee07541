"""ASGI entry point: the sockets under /ws/ (Channels, luxyhome.routing) and HTTP (Django), served by
`uvicorn luxyhome.asgi:application`. In production gunicorn serves HTTP (luxyhome.wsgi) and this
process only the sockets; `make run` serves both from it."""

import os
import warnings

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "luxyhome.settings")
# A socket's database work runs on thread-pool threads that no request ever finishes, so a kept
# connection would stay open for good: this process closes each one after use.
os.environ["CONN_MAX_AGE"] = "0"
django_application = get_asgi_application()  # sets Django up before the consumers are imported
# Files (static ones under `make run`, local media) come from synchronous iterators, which Django reads
# whole under ASGI, warning each time. Harmless here: in production this process serves no files.
warnings.filterwarnings("ignore", message="StreamingHttpResponse must consume synchronous iterators")

from channels.routing import ProtocolTypeRouter  # noqa: E402

from luxyhome.routing import websocket_application  # noqa: E402

application = ProtocolTypeRouter({"http": django_application, "websocket": websocket_application})
