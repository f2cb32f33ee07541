from django.contrib import admin
from django.contrib.admin.apps import AdminConfig as DjangoAdminConfig


class AdminConfig(DjangoAdminConfig):
    """Django's admin app on the shop's own site, which opens on the sales dashboard; INSTALLED_APPS
    names this in place of django.contrib.admin. The site is named by a string: this module is
    imported while the apps load, before the dashboard's models may be."""

    default_site = "analytics.dashboard.AdminSite"


class ReadOnlyAdmin(admin.ModelAdmin):
    """For records the shop writes itself (e-mails sent, webhook events): staff read them, never edit."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
