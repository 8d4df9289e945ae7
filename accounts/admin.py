from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin

from .models import Badge, BadgeAward, ExpertApplication, ExpertCredential, ExpertDocument, User


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    list_display = ["email", "display_name", "reputation", "is_active", "is_staff", "date_joined"]
    list_filter = ["is_active", "is_staff", "is_superuser", "groups", "show_location"]
    search_fields = ["email", "display_name"]
    ordering = ["-date_joined"]
    fieldsets = [
        (None, {"fields": ["email", "username", "password"]}),
        (
            "Public profile",
            {"fields": ["display_name", "location", "show_location", "bio", "avatar", "avatar_small"]},
        ),
        ("Standing", {"fields": ["reputation", "is_deleted"]}),
        ("Permissions", {"fields": ["is_active", "is_staff", "is_superuser", "groups", "user_permissions"]}),
        ("Dates", {"fields": ["last_login", "date_joined"]}),
    ]
    readonly_fields = ["reputation", "last_login", "date_joined"]


class ExpertDocumentInline(admin.TabularInline):
    model = ExpertDocument
    fields = ["original_name", "content_type", "size", "uploaded_at"]
    readonly_fields = fields
    extra = 0
    can_delete = False


@admin.register(ExpertApplication)
class ExpertApplicationAdmin(admin.ModelAdmin):
    list_display = ["applicant", "profession", "status", "created_at", "decided_by"]
    list_filter = ["status", "specialties"]
    search_fields = ["applicant__display_name", "applicant__email", "profession", "institution"]
    readonly_fields = ["applicant", "status", "decided_by", "decided_at", "created_at", "updated_at"]
    inlines = [ExpertDocumentInline]


@admin.register(ExpertCredential)
class ExpertCredentialAdmin(admin.ModelAdmin):
    list_display = ["user", "profession", "specialty", "verified_until", "revoked_at"]
    list_filter = ["specialty", "revoked_at"]
    search_fields = ["user__display_name", "user__email", "credentials"]
    list_select_related = ["user", "specialty"]
    readonly_fields = ["verified_at", "verified_by", "revoked_at", "revoke_reason", "expiry_notice_sent_at"]


@admin.register(Badge)
class BadgeAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "tier", "description"]
    list_filter = ["tier"]
    search_fields = ["name", "code"]


@admin.register(BadgeAward)
class BadgeAwardAdmin(admin.ModelAdmin):
    list_display = ["badge", "user", "awarded_at"]
    list_filter = ["badge"]
    search_fields = ["user__display_name"]
    list_select_related = ["badge", "user"]
    readonly_fields = ["badge", "user", "awarded_at"]
