from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from . import services
from .models import (
    DerivedFile,
    MediaFile,
    ProcessingJob,
    PseudonymSuggestion,
    WorkerHeartbeat,
)


class DerivedInline(admin.TabularInline):
    model = DerivedFile
    extra = 0
    readonly_fields = ["processor", "name", "mime_type", "size", "public", "metadata"]
    exclude = ["file"]


class JobInline(admin.TabularInline):
    model = ProcessingJob
    extra = 0
    fields = ["processor", "state", "progress", "step", "attempts", "error", "error_detail"]
    readonly_fields = fields


@admin.register(MediaFile)
class MediaFileAdmin(admin.ModelAdmin):
    list_display = ["original_name", "kind", "mime_type", "size", "uploaded_by", "created_at"]
    list_filter = ["kind", "mime_type"]
    search_fields = ["original_name", "checksum"]
    readonly_fields = ["mime_type", "size", "checksum", "metadata", "original", "created_at"]
    inlines = [JobInline, DerivedInline]


@admin.register(ProcessingJob)
class ProcessingJobAdmin(admin.ModelAdmin):
    list_display = ["__str__", "media", "state", "progress", "step", "attempts", "worker"]
    list_filter = ["state", "processor"]
    readonly_fields = [f.name for f in ProcessingJob._meta.fields] + ["step", "error"]
    actions = ["retry", "cancel"]

    @admin.action(description=_("Retry the selected failed jobs"))
    def retry(self, request, queryset):
        count = sum(services.retry_job(job) for job in queryset)
        message = ngettext("%(n)s job queued again.", "%(n)s jobs queued again.", count)
        self.message_user(request, message % {"n": count}, messages.SUCCESS)

    @admin.action(description=_("Cancel the selected jobs"))
    def cancel(self, request, queryset):
        count = sum(services.cancel_job(job) for job in queryset)
        message = ngettext("%(n)s job cancelled.", "%(n)s jobs cancelled.", count)
        self.message_user(request, message % {"n": count}, messages.SUCCESS)


@admin.register(PseudonymSuggestion)
class PseudonymSuggestionAdmin(admin.ModelAdmin):
    list_display = ["name", "pseudonym", "label", "source", "occurrences", "status", "media"]
    list_filter = ["status", "label", "source"]
    list_editable = ["pseudonym", "status"]


@admin.register(WorkerHeartbeat)
class WorkerHeartbeatAdmin(admin.ModelAdmin):
    list_display = ["name", "pid", "started_at", "seen_at"]
    readonly_fields = ["name", "pid", "started_at", "seen_at"]
