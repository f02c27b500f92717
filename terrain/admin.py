"""Admin for fieldwork; finding states and consent withdrawal go through terrain.services."""

from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _

from . import services
from .forms import SignedFormChecks
from .models import (
    AccessLog,
    AudioExcerpt,
    Case,
    Code,
    CodebookVersion,
    CodeSet,
    Consent,
    Erasure,
    Excerpt,
    Finding,
    FindingExcerpt,
    Interview,
    Interviewee,
    Memo,
    Season,
    Segment,
    Transcript,
    Visit,
)


@admin.register(Season)
class SeasonAdmin(admin.ModelAdmin):
    list_display = ["title", "start_date", "end_date"]
    filter_horizontal = ["researchers", "funders"]
    search_fields = ["title"]


@admin.register(Visit)
class VisitAdmin(admin.ModelAdmin):
    list_display = ["__str__", "season", "date"]
    list_filter = ["season"]
    autocomplete_fields = ["initiatives"]
    raw_id_fields = ["territory"]


class IntervieweeInline(admin.TabularInline):
    model = Interviewee
    raw_id_fields = ["person"]
    extra = 0


@admin.register(Interview)
class InterviewAdmin(admin.ModelAdmin):
    list_display = ["__str__", "visit", "date", "language"]
    list_filter = ["visit__season", "language"]
    inlines = [IntervieweeInline]
    filter_horizontal = ["interviewers"]


@admin.register(Consent)
class ConsentAdmin(admin.ModelAdmin):
    form = SignedFormChecks  # the signed form is checked as on the consent page
    list_display = ["interviewee", "quoting_allowed", "publication_allowed", "withdrawn_at"]
    readonly_fields = ["withdrawn_at"]
    actions = ["withdraw_selected"]

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        form.drop_replaced_form()

    @admin.action(description=_("Withdraw the selected consents"))
    def withdraw_selected(self, request, queryset):
        for consent in queryset:
            services.withdraw_consent(consent, by=request.user)
        self.message_user(request, _("Consent withdrawn."), messages.SUCCESS)


class SegmentInline(admin.TabularInline):
    model = Segment
    extra = 0


@admin.register(Transcript)
class TranscriptAdmin(admin.ModelAdmin):
    inlines = [SegmentInline]


@admin.register(Code)
class CodeAdmin(admin.ModelAdmin):
    list_display = ["name", "season", "parent", "colour", "is_codable"]
    list_filter = ["season"]


@admin.register(Case)
class CaseAdmin(admin.ModelAdmin):
    """Cases imported from a REFI-QDA project (interviewees are cases without a row here)."""

    list_display = ["name", "season"]
    list_filter = ["season"]
    filter_horizontal = ["interviews"]


@admin.register(CodeSet)
class CodeSetAdmin(admin.ModelAdmin):
    list_display = ["name", "season"]
    list_filter = ["season"]
    filter_horizontal = ["codes", "interviews", "memos"]


@admin.register(Excerpt)
class ExcerptAdmin(admin.ModelAdmin):
    list_display = ["__str__", "coder", "created_at"]
    raw_id_fields = ["segment", "end_segment"]


@admin.register(AudioExcerpt)
class AudioExcerptAdmin(admin.ModelAdmin):
    list_display = ["__str__", "interview", "coder", "created_at"]
    raw_id_fields = ["interview"]


@admin.register(CodebookVersion)
class CodebookVersionAdmin(admin.ModelAdmin):
    list_display = ["__str__", "season", "created_by", "created_at"]
    list_filter = ["season"]
    readonly_fields = ["codes"]


@admin.register(Memo)
class MemoAdmin(admin.ModelAdmin):
    list_display = ["__str__", "author", "created_at"]


class FindingExcerptInline(admin.TabularInline):
    model = FindingExcerpt
    raw_id_fields = ["excerpt"]
    extra = 0


@admin.register(Finding)
class FindingAdmin(admin.ModelAdmin):
    list_display = ["title", "season", "state", "published_at"]
    list_filter = ["state", "season"]
    readonly_fields = ["state", "published_at", "submitted_at", "return_comment"]
    prepopulated_fields = {"slug": ["title"]}
    inlines = [FindingExcerptInline]
    actions = ["publish_selected"]

    @admin.action(description=_("Publish the selected findings"))
    def publish_selected(self, request, queryset):
        for finding in queryset:
            try:
                services.publish_finding(finding, by=request.user)
            except services.TerrainError as exc:
                self.message_user(request, f"{finding}: {exc}", messages.ERROR)


@admin.register(AccessLog)
class AccessLogAdmin(admin.ModelAdmin):
    list_display = ["at", "user", "action", "target", "interview"]
    list_filter = ["action", "target"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Erasure)
class ErasureAdmin(admin.ModelAdmin):
    list_display = ["person_id", "erased_at", "erased_by"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
