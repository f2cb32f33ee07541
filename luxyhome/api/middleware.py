import functools

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from rest_framework.request import Request

from luxyhome.api.exceptions import problem_json_response
from luxyhome.api.negotiation import states_no_preference


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


class CachedAnswerMiddleware:
    """A visitor's read of a cached answer, answered before DRF starts on the request.

    Most catalog reads come from visitors: no Authorization header, so DRF would find no user and
    nothing to authenticate, and no preference of format, so DRF would answer JSON. For the views
    that allow it (CachedAnswerMixin.cached_response), such a GET is counted by the view's
    throttles and its answer looked up here, in the same one round trip the view makes; a cached
    answer the throttles allow is the response. Any other outcome goes on to the view with the
    lookup (`request.answer_lookup`), so the request is still counted once and refused or built as
    the view always does. Under load DRF's request handling around a cached answer cost the list
    about 3 % of its rate (README, performance).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        view_class = getattr(view_func, "cls", None)
        if getattr(view_class, "cached_response", None) is None or not _visitor_read(request):
            return None
        view = view_class(**view_func.initkwargs)  # as DRF makes it for the request, less the request handling
        view.action, view.args, view.kwargs = view_func.actions["get"], view_args, view_kwargs
        looked_up = view.look_up_answer(Request(request))  # no authenticators: the visitor DRF would find
        if looked_up is None:
            return None
        if looked_up.wait is None and looked_up.found.value is not None:
            response = view.cached_response(looked_up.found)
            response["Allow"] = _allow(view_func)
            return response
        request.answer_lookup = looked_up
        return None


def _visitor_read(request) -> bool:
    return request.method == "GET" and "HTTP_AUTHORIZATION" not in request.META and states_no_preference(request)


@functools.cache
def _allow(view_func) -> str:
    """The Allow header DRF gives the answers of a route: its methods, HEAD with GET, and OPTIONS."""
    methods = {*view_func.actions, "options", *(["head"] if "get" in view_func.actions else [])}
    return ", ".join(method.upper() for method in view_func.cls.http_method_names if method in methods)
