"""Settings come from the environment; production refuses to start half-configured."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

BASE_DIR = Path(__file__).resolve().parents[2]


def manage(*args, **env):
    """Run manage.py in a fresh process with only the given variables on top of a clean environment."""
    clean = {k: v for k, v in os.environ.items() if k in {"PATH", "HOME"}}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=BASE_DIR,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def production_env(**overrides):
    return {
        "DJANGO_ENV": "production",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "api.luxyhome.example",
        "JWT_SIGNING_KEY": secrets.token_urlsafe(64),
        "CORS_ALLOWED_ORIGINS": "https://www.luxyhome.example",
        # only read here, never connected to: the values just have to be there
        "DATABASE_URL": os.environ.get("DATABASE_URL") or "postgres://luxyhome@db.luxyhome.example/luxyhome",
        "REDIS_URL": os.environ.get("REDIS_URL") or "redis://cache.luxyhome.example:6379/0",
        **overrides,
    }


def test_check_deploy_is_clean_in_production():
    result = manage("check", "--deploy", "--fail-level", "WARNING", **production_env())

    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


@pytest.mark.parametrize(
    "missing", ["SECRET_KEY", "ALLOWED_HOSTS", "JWT_SIGNING_KEY", "DATABASE_URL", "REDIS_URL", "CORS_ALLOWED_ORIGINS"]
)
def test_production_refuses_to_start_without(missing):
    env = production_env()
    del env[missing]

    result = manage("check", **env)

    assert result.returncode != 0
    assert missing in result.stderr


def test_production_refuses_empty_allowed_hosts():
    result = manage("check", **production_env(ALLOWED_HOSTS=""))

    assert result.returncode != 0
    assert "ALLOWED_HOSTS" in result.stderr


def test_production_refuses_empty_cors_allowed_origins():
    # no falling back to the development storefronts on localhost
    result = manage("check", **production_env(CORS_ALLOWED_ORIGINS=""))

    assert result.returncode != 0
    assert "CORS_ALLOWED_ORIGINS" in result.stderr


def test_production_refuses_a_short_jwt_key():
    result = manage("check", **production_env(JWT_SIGNING_KEY="short"))

    assert result.returncode != 0
    assert "JWT_SIGNING_KEY" in result.stderr


def test_production_turns_debug_off_and_https_on():
    script = (
        "from django.conf import settings as s; "
        "print(s.DEBUG, s.SECURE_SSL_REDIRECT, s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, "
        "s.SECURE_HSTS_SECONDS > 0, s.SECURE_PROXY_SSL_HEADER)"
    )

    result = manage("shell", "--no-imports", "-c", script, **production_env())

    assert result.stdout.strip() == "False True True True True ('HTTP_X_FORWARDED_PROTO', 'https')"


def test_development_needs_nothing_configured():
    script = (
        "from django.conf import settings as s; from django.db import connection; "
        "print(s.DEBUG, connection.vendor, s.EMAIL_BACKEND)"
    )

    result = manage("shell", "--no-imports", "-c", script, DATABASE_URL="", REDIS_URL="")

    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [
        "True",
        "sqlite",
        "django.core.mail.backends.console.EmailBackend",
    ]
