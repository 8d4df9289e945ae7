"""Moderators keep the synonym list in the admin (the Moderators group may add, change and delete pairs)."""

from django.contrib import admin
from django.core.cache import cache

from forum.search.models import SYNONYMS_CACHE_KEY, Synonym


@admin.register(Synonym)
class SynonymAdmin(admin.ModelAdmin):
    list_display = ["lay_term", "clinical_term"]
    search_fields = ["lay_term", "clinical_term"]
    list_per_page = 100

    def delete_queryset(self, request, queryset):
        super().delete_queryset(request, queryset)
        cache.delete(SYNONYMS_CACHE_KEY)  # a bulk delete skips Synonym.delete
