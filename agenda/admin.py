from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from . import services
from .models import Event


@admin.register(Event)
class EventAdmin(admin.ModelAdmin):
    list_display = ["title", "starts_at", "kind", "territory", "organiser", "state"]
    list_filter = ["state", "kind"]
    search_fields = ["title", "description", "place"]
    date_hierarchy = "starts_at"
    readonly_fields = ["state", "published_at", "uid", "proposed_by"]
    autocomplete_fields = ["territory", "organiser", "initiatives", "poles"]
    raw_id_fields = ["recurrence_of"]  # the series a changed occurrence belongs to
    actions = ["publish_selected", "refuse_selected"]

    @admin.action(description=_("Publish the selected events"))
    def publish_selected(self, request, queryset):
        for event in queryset:
            services.publish(event, by=request.user)

    @admin.action(description=_("Refuse or withdraw the selected events"))
    def refuse_selected(self, request, queryset):
        for event in queryset:
            services.refuse(event, by=request.user)
