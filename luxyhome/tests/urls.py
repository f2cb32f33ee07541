"""The project's URLs plus views that exist only to exercise the shared API conventions."""

from rest_framework import generics, permissions
from rest_framework.decorators import api_view, permission_classes

from accounts.models import User
from accounts.serializers import UserSerializer
from luxyhome.api.routers import optional_slash_path
from luxyhome.urls import handler400, handler500  # noqa: F401
from luxyhome.urls import urlpatterns as project_urlpatterns


@api_view(["GET"])
@permission_classes([permissions.AllowAny])
def boom(request):
    raise RuntimeError("secret internals that must not reach the client")


@api_view(["GET"])
@permission_classes([permissions.IsAdminUser])
def staff_only(request):
    raise AssertionError("shoppers never get here")


class UserList(generics.ListAPIView):
    queryset = User.objects.order_by("id")
    serializer_class = UserSerializer
    permission_classes = [permissions.AllowAny]


urlpatterns = [
    optional_slash_path("api/test/boom", boom, name="test-boom"),
    optional_slash_path("api/test/staff-only", staff_only, name="test-staff-only"),
    optional_slash_path("api/test/users", UserList.as_view(), name="test-users"),
    *project_urlpatterns,
]
