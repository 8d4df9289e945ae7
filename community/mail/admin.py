from django.contrib import admin

from community.mail.models import OutboundEmail


@admin.register(OutboundEmail)
class OutboundEmailAdmin(admin.ModelAdmin):
    """Operators see whether emails are waiting, failing or sent; never what they say or to whom."""

    list_display = ["pk", "created_at", "attempts", "last_error", "sent_at", "failed_at"]
    list_filter = [
        "last_error",
        ("sent_at", admin.EmptyFieldListFilter),
        ("failed_at", admin.EmptyFieldListFilter),
    ]
    fields = ["key", "created_at", "claimed_until", "attempts", "last_error", "sent_at", "failed_at"]
    readonly_fields = fields

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
