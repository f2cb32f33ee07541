"""The outbox for staff: what was sent, what is still owed and why it failed. Read only."""

from django.contrib import admin

from luxyhome.admin import ReadOnlyAdmin
from outbox.models import Email


class SentFilter(admin.SimpleListFilter):
    title = "sent"
    parameter_name = "sent"

    def lookups(self, request, model_admin):
        return [("yes", "Sent"), ("no", "Not yet sent")]

    def queryset(self, request, queryset):
        if self.value() in ("yes", "no"):
            return queryset.filter(sent_at__isnull=self.value() == "no")
        return queryset


@admin.register(Email)
class EmailAdmin(ReadOnlyAdmin):
    list_display = ["subject", "to", "created_at", "sent_at", "attempts"]
    list_filter = [SentFilter, "created_at"]
    search_fields = ["to", "subject"]
    list_per_page = 50
    readonly_fields = [field.name for field in Email._meta.fields]
