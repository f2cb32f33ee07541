"""A dependency that cannot be reached (the database, media storage) answers 503 with Retry-After, not 500.

Only outages are mapped: a query that fails for any other reason (a bug, a constraint) stays a 500.
"""

import logging

from botocore.exceptions import ClientError, HTTPClientError
from botocore.exceptions import ConnectionError as BotoConnectionError
from django.db import InterfaceError, OperationalError
from rest_framework.exceptions import APIException

logger = logging.getLogger(__name__)

RETRY_AFTER_SECONDS = 10

# PostgreSQL's codes for "cannot serve you now": connection exceptions (class 08), the server
# shutting down or starting up, too many connections. Client-side failures (refused, lost) have none.
UNAVAILABLE_SQLSTATE_PREFIXES = ("08", "57P01", "57P02", "57P03", "53300")


class ServiceUnavailable(APIException):
    status_code = 503
    default_detail = "The shop cannot reach its database right now; try again shortly."
    default_code = "service_unavailable"
    wait = RETRY_AFTER_SECONDS  # DRF's handler turns it into Retry-After


class StorageUnavailable(ServiceUnavailable):
    default_detail = "Image storage cannot be reached right now; nothing was saved. Try again shortly."
    default_code = "storage_unavailable"


def as_unavailable(exc: BaseException) -> ServiceUnavailable | None:
    """The 503 for an exception that means a dependency is unreachable (logged with its cause), else None."""
    if _database_unreachable(exc):
        unavailable = ServiceUnavailable()
    elif _storage_unreachable(exc):
        unavailable = StorageUnavailable()
    else:
        return None
    logger.warning("dependency unavailable: %s", unavailable.default_code, exc_info=exc)
    return unavailable


def _database_unreachable(exc: BaseException) -> bool:
    if isinstance(exc, InterfaceError):  # the connection was lost under us
        return True
    if not isinstance(exc, OperationalError):
        return False
    cause = exc.__cause__
    if not hasattr(cause, "sqlstate"):  # not psycopg: SQLite's OperationalErrors are local faults
        return False
    return cause.sqlstate is None or cause.sqlstate.startswith(UNAVAILABLE_SQLSTATE_PREFIXES)


def _storage_unreachable(exc: BaseException) -> bool:
    if isinstance(exc, BotoConnectionError | HTTPClientError):  # refused, timed out, connection dropped
        return True
    if isinstance(exc, ClientError):  # S3 answered, but with its own failure (500, 503 SlowDown)
        return exc.response.get("ResponseMetadata", {}).get("HTTPStatusCode", 0) >= 500
    return False
