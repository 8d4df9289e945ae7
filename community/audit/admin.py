from django.contrib import admin

from community.audit.models import AuditEntry


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    list_display = ["created_at", "actor", "action", "target_label", "subject", "reason"]
    list_filter = ["action", "created_at"]
    search_fields = ["target_label", "reason", "actor__display_name"]
    list_select_related = ["actor", "subject"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
