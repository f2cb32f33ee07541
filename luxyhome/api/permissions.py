from rest_framework.permissions import SAFE_METHODS, DjangoModelPermissions


class StaffModelPermissionsOrReadOnly(DjangoModelPermissions):
    """Anyone reads; a write needs staff and the model permission its method maps to (POST add,
    PUT and PATCH change, DELETE delete), as the admin asks: a superuser has every one."""

    def has_permission(self, request, view):
        if request.method in SAFE_METHODS:
            return True
        return bool(request.user and request.user.is_staff) and super().has_permission(request, view)
