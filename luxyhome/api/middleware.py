from django.conf import settings
from django.core.exceptions import RequestDataTooBig

from luxyhome.api.exceptions import problem_json_response


class RequestSizeLimitMiddleware:
    """413 for request bodies over the limits, before any view parses them.

    Multipart bodies (uploads) may reach MAX_REQUEST_BODY_SIZE; any other body,
    JSON included, DATA_UPLOAD_MAX_MEMORY_SIZE, also when it comes chunked.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            declared = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            declared = 0
        too_large = declared > settings.MAX_REQUEST_BODY_SIZE
        if not too_large and not request.content_type.startswith("multipart/"):
            try:
                request.body  # noqa: B018 - reading it enforces DATA_UPLOAD_MAX_MEMORY_SIZE
            except RequestDataTooBig:
                too_large = True
        if too_large:
            return problem_json_response(413, "payload_too_large", "The request body is too large.")
        return self.get_response(request)
