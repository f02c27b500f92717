from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.template.response import TemplateResponse
from django.urls import path
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from observatoire import shredders

from . import services
from .models import (
    Affiliation,
    CallForInterest,
    Initiative,
    Organisation,
    Person,
    Pole,
    PoleMembership,
    Role,
)


class PickablePeopleMixin:
    """Person fields offer only the people `pickable_for` the user (people.py): no interviewee."""

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.related_model is Person:
            kwargs["queryset"] = Person.objects.pickable_for(request.user)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.related_model is Person:
            kwargs["queryset"] = Person.objects.pickable_for(request.user)
        return super().formfield_for_manytomany(db_field, request, **kwargs)


class PublishableAdmin(admin.ModelAdmin):
    """State changes go through the publication service, never by editing the field."""

    actions = ["publish_selected", "withdraw_selected"]
    readonly_fields = ["state", "published_at", "created_at", "updated_at"]

    @admin.action(description=_("Publish the selected items"))
    def publish_selected(self, request, queryset):
        done, refused = 0, []
        for obj in queryset:
            try:
                services.publish(obj, by=request.user)
                done += 1
            except services.PublicationError as exc:
                refused.append(f"{obj}: {exc}")
        if done:
            self.message_user(
                request,
                ngettext("%d item published.", "%d items published.", done) % done,
                messages.SUCCESS,
            )
        for line in refused:
            self.message_user(request, line, messages.ERROR)

    @admin.action(description=_("Withdraw the selected items"))
    def withdraw_selected(self, request, queryset):
        for obj in queryset:
            services.withdraw(obj, by=request.user)
        self.message_user(request, _("Withdrawn."), messages.SUCCESS)


class RoleInline(PickablePeopleMixin, admin.TabularInline):
    model = Role
    extra = 0
    autocomplete_fields = ["organisation", "person"]


class MembershipInline(admin.TabularInline):
    model = PoleMembership
    extra = 0
    autocomplete_fields = ["organisation"]


class AffiliationInline(PickablePeopleMixin, admin.TabularInline):
    model = Affiliation
    extra = 0
    autocomplete_fields = ["organisation", "person"]


@admin.register(Initiative)
class InitiativeAdmin(PublishableAdmin):
    list_display = ["name", "territory", "stage", "state", "updated_at"]
    list_filter = [
        "state",
        "stage",
        "sectoral_interaction",
        "territorial_coherence",
        "cross_world_alliances",
    ]
    search_fields = ["name", "summary", "territory__name"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["territory", "poles"]
    list_select_related = ["territory"]
    inlines = [RoleInline]


@admin.register(Organisation)
class OrganisationAdmin(PublishableAdmin):
    list_display = ["name", "legal_form", "territory", "state"]
    list_filter = ["state", "legal_form"]
    search_fields = ["name", "acronym", "siren"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["territory"]
    list_select_related = ["territory"]
    inlines = [AffiliationInline]


@admin.register(Person)
class PersonAdmin(PublishableAdmin):
    list_display = ["last_name", "first_name", "state"]
    list_filter = ["state"]
    search_fields = ["first_name", "last_name", "email"]
    prepopulated_fields = {"slug": ["first_name", "last_name"]}
    inlines = [AffiliationInline]
    change_form_template = "admin/initiatives/person/change_form.html"

    def get_urls(self):
        erase = path(
            "<path:object_id>/erase/",
            self.admin_site.admin_view(self.erase_view),
            name="initiatives_person_erase",
        )
        return [erase, *super().get_urls()]

    def erase_view(self, request, object_id):
        """A request to be forgotten: what every app holds about them, then erased on POST."""
        person = self.get_object(request, unquote(object_id))
        if person is None:
            raise Http404
        if not self.has_delete_permission(request, person):
            raise PermissionDenied
        done = request.method == "POST"
        if done:
            report = shredders.erase_person(person, by=request.user)
            person.refresh_from_db()
        else:
            report = shredders.preview(person)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "object": person,
            "report": report,
            "done": done,
            "title": _("Erasure done") if done else _("Erase this person everywhere?"),
        }
        return TemplateResponse(request, "admin/initiatives/person/erase.html", context)

    def get_search_results(self, request, queryset, search_term):
        # The autocomplete of another model's person field (consultants, facilitators, roles):
        # people met only in fieldwork are not offered there (the fieldwork uses raw ids).
        match = getattr(request, "resolver_match", None)
        if match is not None and match.url_name == "autocomplete":
            queryset = queryset.filter(
                pk__in=Person.objects.pickable_for(request.user).values("pk")
            )
        return super().get_search_results(request, queryset, search_term)


@admin.register(Pole)
class PoleAdmin(PublishableAdmin):
    list_display = ["name", "territory", "stage", "state"]
    list_filter = ["state", "stage", "calls_for_interest"]
    search_fields = ["name", "summary"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["territory"]
    filter_horizontal = ["calls_for_interest"]
    list_select_related = ["territory"]
    inlines = [MembershipInline]


@admin.register(CallForInterest)
class CallForInterestAdmin(admin.ModelAdmin):
    list_display = ["name", "year", "issuer"]
    search_fields = ["name", "issuer"]


@admin.register(Role)
class RoleAdmin(PickablePeopleMixin, admin.ModelAdmin):
    list_display = ["initiative", "kind", "organisation", "person"]
    list_filter = ["kind"]
    search_fields = ["initiative__name", "organisation__name", "person__last_name"]
    autocomplete_fields = ["initiative", "organisation", "person"]


@admin.register(PoleMembership)
class PoleMembershipAdmin(admin.ModelAdmin):
    list_display = ["pole", "organisation", "role"]
    list_filter = ["role"]
    search_fields = ["pole__name", "organisation__name"]
    autocomplete_fields = ["pole", "organisation"]


@admin.register(Affiliation)
class AffiliationAdmin(PickablePeopleMixin, admin.ModelAdmin):
    list_display = ["person", "organisation", "title"]
    search_fields = ["person__last_name", "organisation__name", "title"]
    autocomplete_fields = ["person", "organisation"]
