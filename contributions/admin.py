from django.contrib import admin

from .models import Claim, Contribution


@admin.register(Contribution)
class ContributionAdmin(admin.ModelAdmin):
    """Read-only: decisions are taken in the moderation queue, which applies them through the
    directory's write path and mails the sender."""

    list_display = ["pk", "kind", "initiative", "email", "status", "created_at"]
    list_filter = ["status", "kind"]
    search_fields = ["email", "name", "initiative__name"]
    raw_id_fields = ["initiative", "claim", "decided_by"]

    def has_change_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request):
        return False


@admin.register(Claim)
class ClaimAdmin(admin.ModelAdmin):
    list_display = ["pk", "initiative", "email", "role", "status", "publish_directly"]
    list_filter = ["status", "publish_directly"]
    search_fields = ["email", "name", "initiative__name"]
    raw_id_fields = ["initiative", "user", "decided_by"]

    def has_change_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request):
        return False
