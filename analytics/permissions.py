"""Who may see the shop's figures: staff the admin lets see orders."""

from rest_framework.permissions import BasePermission

VIEW_PERMISSION = "orders.view_order"


def analytics_viewer(user) -> bool:
    """Whether `user` may see the figures (the API and the admin's dashboard alike)."""
    return bool(user and user.is_authenticated and user.is_staff and user.has_perm(VIEW_PERMISSION))


class CanViewAnalytics(BasePermission):
    def has_permission(self, request, view):
        return analytics_viewer(request.user)
