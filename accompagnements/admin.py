from django.contrib import admin

from initiatives.admin import PickablePeopleMixin

from .models import (
    BackcastingMilestone,
    BackcastingStep,
    Deliverable,
    DeliverableVersion,
    Funding,
    MetaplanCard,
    MetaplanCluster,
    SupportMission,
    Workshop,
    WorkshopParticipant,
)


class FundingInline(admin.TabularInline):
    model = Funding
    extra = 0
    autocomplete_fields = ["funder"]


class WorkshopInline(admin.TabularInline):
    model = Workshop
    extra = 0
    fields = ["title", "date", "method", "participant_count"]
    show_change_link = True


@admin.register(SupportMission)
class SupportMissionAdmin(PickablePeopleMixin, admin.ModelAdmin):
    list_display = ["title", "client", "state", "start_date", "end_date"]
    list_filter = ["state", "audience"]
    search_fields = ["title", "client_organisation__name", "client_pole__name"]
    readonly_fields = ["state", "state_changed_at"]
    autocomplete_fields = [
        "client_organisation",
        "client_pole",
        "territory",
        "consultants",
        "initiatives",
    ]
    inlines = [FundingInline, WorkshopInline]


class ParticipantInline(admin.TabularInline):
    model = WorkshopParticipant
    extra = 0


class ClusterInline(admin.TabularInline):
    model = MetaplanCluster
    extra = 0


class CardInline(admin.TabularInline):
    model = MetaplanCard
    extra = 0
    raw_id_fields = ["photo"]


class MilestoneInline(admin.TabularInline):
    model = BackcastingMilestone
    extra = 0


class StepInline(admin.TabularInline):
    model = BackcastingStep
    extra = 0


@admin.register(Workshop)
class WorkshopAdmin(PickablePeopleMixin, admin.ModelAdmin):
    list_display = ["title", "mission", "date", "method", "participant_count"]
    list_filter = ["method"]
    search_fields = ["title", "mission__title"]
    autocomplete_fields = ["mission", "facilitators"]
    inlines = [
        ParticipantInline,
        ClusterInline,
        CardInline,
        MilestoneInline,
        StepInline,
    ]


class VersionInline(admin.TabularInline):
    model = DeliverableVersion
    extra = 0
    raw_id_fields = ["media"]
    readonly_fields = ["created_at"]


@admin.register(Deliverable)
class DeliverableAdmin(admin.ModelAdmin):
    list_display = ["title", "mission", "kind"]
    list_filter = ["kind"]
    inlines = [VersionInline]


@admin.register(Funding)
class FundingAdmin(admin.ModelAdmin):
    list_display = ["mission", "funder", "programme", "amount", "start_date", "status"]
    list_filter = ["status", "funder"]
    autocomplete_fields = ["mission", "funder"]
