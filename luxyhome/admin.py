from django.contrib import admin


class ReadOnlyAdmin(admin.ModelAdmin):
    """For records the shop writes itself (e-mails sent, webhook events): staff read them, never edit."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
