from django.contrib import admin

from .models import ApiToken, Download, PartnerAccount, Publication, PublicationFile


class FileInline(admin.TabularInline):
    model = PublicationFile
    extra = 1
    readonly_fields = ["size"]


@admin.register(Publication)
class PublicationAdmin(admin.ModelAdmin):
    list_display = ["title", "kind", "date", "audience", "state", "embargo_until"]
    list_filter = ["kind", "audience", "state", "licence"]
    search_fields = ["title", "authors"]
    prepopulated_fields = {"slug": ["title"]}
    autocomplete_fields = ["initiatives"]
    filter_horizontal = ["territories"]
    inlines = [FileInline]


@admin.register(PartnerAccount)
class PartnerAccountAdmin(admin.ModelAdmin):
    list_display = ["user", "organisation"]
    raw_id_fields = ["user", "organisation"]


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ["name", "user", "prefix", "created_at", "last_used_at", "revoked_at"]
    readonly_fields = ["prefix", "created_at", "last_used_at", "revoked_at"]
    exclude = ["key_hash"]

    def has_add_permission(self, request):
        return False  # created in the portal, where the key is shown once


@admin.register(Download)
class DownloadAdmin(admin.ModelAdmin):
    list_display = ["at", "user", "organisation", "publication", "file", "export", "filters"]
    list_filter = ["export"]
    date_hierarchy = "at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
