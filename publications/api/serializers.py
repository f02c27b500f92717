"""Serializers: the same field names as the exports' columns (see publications.exports.kinds)."""

from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from agenda.models import Event
from initiatives.models import Initiative, Organisation, Pole
from terrain.models import Finding
from territoires.models import Territory

from ..models import Audience, Publication, PublicationFile


class TerritoryRef(serializers.ModelSerializer):
    class Meta:
        model = Territory
        fields = ["level", "code", "name"]


class AbsoluteUrl(serializers.Field):
    def __init__(self, **kwargs):
        super().__init__(source="*", read_only=True, **kwargs)

    def to_representation(self, obj):
        request = self.context.get("request")
        url = obj.get_absolute_url()
        return request.build_absolute_uri(url) if request else url


AbsoluteUrl = extend_schema_field(OpenApiTypes.URI)(AbsoluteUrl)

# An address, or "" when none is known (as in the exports). One schema, not drf-spectacular's
# `oneOf` of a URI and an empty string, which a validator ignoring `format` finds ambiguous.
URL_OR_EMPTY = {"anyOf": [{"type": "string", "format": "uri"}, {"type": "string", "maxLength": 0}]}


@extend_schema_field(URL_OR_EMPTY)
class UrlOrEmpty(serializers.CharField):
    def __init__(self, **kwargs):
        super().__init__(read_only=True, **kwargs)


class InitiativeSerializer(serializers.ModelSerializer):
    territory = TerritoryRef(read_only=True)
    themes = serializers.SerializerMethodField()
    ptces = serializers.SerializerMethodField()
    website = UrlOrEmpty()
    url = AbsoluteUrl()

    class Meta:
        model = Initiative
        fields = [
            "id", "slug", "name", "summary", "stage", "start_date", "end_date", "territory",
            "latitude", "longitude", "themes", "ptces", "sectoral_interaction",
            "territorial_coherence", "cross_world_alliances", "website", "siret", "url",
            "published_at",
        ]  # fmt: skip

    def get_themes(self, obj) -> list[str]:
        return sorted(tag.name for tag in obj.themes.all())

    def get_ptces(self, obj) -> list[str]:
        return sorted(pole.slug for pole in obj.public_poles)


class OrganisationSerializer(serializers.ModelSerializer):
    territory = TerritoryRef(read_only=True, allow_null=True)
    website = UrlOrEmpty()
    url = AbsoluteUrl()

    class Meta:
        model = Organisation
        fields = [
            "id", "slug", "name", "acronym", "legal_form", "summary", "siren", "siret", "rna",
            "territory", "website", "url", "published_at",
        ]  # fmt: skip


class PoleSerializer(serializers.ModelSerializer):
    territory = TerritoryRef(read_only=True)
    website = UrlOrEmpty()
    url = AbsoluteUrl()

    class Meta:
        model = Pole
        fields = [
            "id", "slug", "name", "summary", "stage", "founded_year", "territory", "website",
            "url", "published_at",
        ]  # fmt: skip


class TerritorySerializer(serializers.ModelSerializer):
    # A région has no parent: null.
    parent_code = serializers.CharField(
        source="parent.code", default=None, read_only=True, allow_null=True
    )
    initiatives_count = serializers.IntegerField(read_only=True)
    url = AbsoluteUrl()

    class Meta:
        model = Territory
        fields = [
            "id", "level", "code", "name", "parent_code", "population", "latitude", "longitude",
            "initiatives_count", "url",
        ]  # fmt: skip


class FileSerializer(serializers.ModelSerializer):
    url = serializers.SerializerMethodField()

    class Meta:
        model = PublicationFile
        fields = ["id", "title", "media_type", "size", "url"]

    def get_url(self, obj) -> str:
        request = self.context.get("request")
        url = reverse("publications:file", kwargs={"slug": obj.publication.slug, "file_id": obj.pk})
        return request.build_absolute_uri(url) if request else url


class PublicationSerializer(serializers.ModelSerializer):
    authors = serializers.ListField(source="author_list", child=serializers.CharField())
    licence_url = serializers.CharField()
    files = serializers.SerializerMethodField()
    initiatives = serializers.SerializerMethodField()
    url = AbsoluteUrl()

    class Meta:
        model = Publication
        fields = [
            "id", "slug", "kind", "title", "abstract", "authors", "date", "version", "licence",
            "licence_url", "embargo_until", "audience", "initiatives", "files", "url",
            "published_at",
        ]  # fmt: skip

    def get_initiatives(self, obj) -> list[str]:
        """Published initiatives only: a draft's slug is not public (see `public_initiatives`)."""
        return [initiative.slug for initiative in obj.public_initiatives]

    @extend_schema_field(FileSerializer(many=True))
    def get_files(self, obj):
        """Partner-only files are listed only for those who may download them."""
        if obj.audience == Audience.PARTNERS and not self.context.get("partner"):
            return []
        return FileSerializer(obj.files.all(), many=True, context=self.context).data


class QuoteSerializer(serializers.Serializer):
    speaker = serializers.CharField()
    text = serializers.CharField()


class FindingSerializer(serializers.ModelSerializer):
    """Quotes only from `public_quotes()`: consent is checked at each request."""

    themes = serializers.SerializerMethodField()
    initiatives = serializers.SerializerMethodField()
    quotes = serializers.SerializerMethodField()
    has_removed_quotes = serializers.SerializerMethodField()
    url = AbsoluteUrl()

    class Meta:
        model = Finding
        fields = [
            "id", "slug", "title", "summary", "text", "themes", "initiatives",
            "sectoral_interaction", "territorial_coherence", "cross_world_alliances", "quotes",
            "has_removed_quotes", "licence", "url", "published_at",
        ]  # fmt: skip

    def _quotes(self, obj):
        # One consent check per finding and response, shared by the two fields that read it.
        if not hasattr(obj, "_public_quotes"):
            obj._public_quotes = obj.public_quotes()
        return obj._public_quotes

    def get_themes(self, obj) -> list[str]:
        return sorted(tag.name for tag in obj.themes.all())

    def get_initiatives(self, obj) -> list[str]:
        return [initiative.slug for initiative in obj.public_initiatives]

    @extend_schema_field(QuoteSerializer(many=True))
    def get_quotes(self, obj):
        quotes = [quote for quote in self._quotes(obj) if not quote.removed]
        return [{"speaker": quote.speaker, "text": quote.text} for quote in quotes]

    def get_has_removed_quotes(self, obj) -> bool:
        return any(quote.removed for quote in self._quotes(obj))


class EventSerializer(serializers.ModelSerializer):
    link = UrlOrEmpty(source="url")  # "" when none was given
    territory = TerritoryRef(read_only=True, allow_null=True)
    latitude = serializers.FloatField(
        source="territory.latitude", default=None, read_only=True, allow_null=True
    )
    longitude = serializers.FloatField(
        source="territory.longitude", default=None, read_only=True, allow_null=True
    )
    themes = serializers.SerializerMethodField()
    organiser = serializers.SerializerMethodField()
    initiatives = serializers.SerializerMethodField()
    url = AbsoluteUrl()

    class Meta:
        model = Event
        fields = [
            "id", "title", "description", "kind", "starts_at", "ends_at", "all_day", "place",
            "online", "link", "territory", "latitude", "longitude", "themes", "organiser",
            "initiatives", "url", "published_at",
        ]  # fmt: skip

    def get_themes(self, obj) -> list[str]:
        return sorted(tag.name for tag in obj.themes.all())

    def get_organiser(self, obj) -> str | None:
        return obj.public_organiser.slug if obj.public_organiser else None

    def get_initiatives(self, obj) -> list[str]:
        return [initiative.slug for initiative in obj.public_initiatives]
