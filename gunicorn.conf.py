"""gunicorn settings for Luxyhome: the Docker image, CI's production smoke run and `make bench` use them.

gunicorn luxyhome.wsgi:application -c gunicorn.conf.py
"""

import os

bind = os.environ.get("GUNICORN_BIND", "0.0.0.0:8000")
workers = int(os.environ.get("WEB_CONCURRENCY", "2"))
worker_class = os.environ.get("GUNICORN_WORKER_CLASS", "sync")
threads = int(os.environ.get("GUNICORN_THREADS", "1"))

timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))  # a worker stuck longer is restarted
graceful_timeout = 30  # on SIGTERM, requests in flight get this long to finish
keepalive = 5  # seconds, behind a load balancer that reuses connections

# recycle workers now and then, so slow leaks in any library cannot grow without bound
max_requests = 5000
max_requests_jitter = 500

accesslog = "-"
errorlog = "-"
# the proxy in front terminates TLS and says so in X-Forwarded-Proto (see SECURE_PROXY_SSL_HEADER)
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
