"""Publishing checks every quote against consent; the public page applies names and pseudonyms."""

import pytest
from django.utils import translation

from terrain import services
from terrain.models import Finding, FindingState


def test_quote_whose_consent_forbids_quoting_cannot_be_published(fieldwork):
    consent = fieldwork["joel_consent"]
    consent.quoting_allowed = False
    consent.save()
    finding = fieldwork["finding"]
    services.submit_finding(finding)
    with translation.override("en"), pytest.raises(services.TerrainError) as error:
        services.publish_finding(finding)
    assert "cannot be published: quoting is not allowed (Joël Pérez)" in str(error.value)
    assert Finding.objects.get(pk=finding.pk).state == FindingState.SUBMITTED
    assert not Finding.objects.published().exists()


def test_expired_consent_blocks_publication(fieldwork):
    import datetime

    consent = fieldwork["helene_consent"]
    consent.valid_until = datetime.date(2020, 1, 1)
    consent.save()
    services.submit_finding(fieldwork["finding"])
    with translation.override("en"), pytest.raises(services.TerrainError, match="consent expired"):
        services.publish_finding(fieldwork["finding"])


def test_published_quote_uses_name_or_pseudonym_and_pseudonymises_mentions(published, client):
    response = client.get(published["finding"].get_absolute_url())
    assert response.status_code == 200
    page = response.content.decode()
    # Hélène is quoted by name; Joël's name is replaced by his pseudonym everywhere it is quoted.
    assert "— Hélène Brûlé" in page
    assert "Hélène Brûlé et Paul se méfiaient" in page
    assert "— Paul" in page
    assert "Joël" not in page and "Pérez" not in page


def test_only_staff_publish_and_a_return_needs_a_comment(fieldwork, client):
    finding, season = fieldwork["finding"], fieldwork["season"]
    services.submit_finding(finding)
    client.force_login(fieldwork["users"]["member"])
    client.post(f"/terrain/{season.pk}/enseignements/{finding.pk}/publish/")
    assert Finding.objects.get(pk=finding.pk).state == FindingState.SUBMITTED
    with pytest.raises(services.TerrainError):
        services.return_finding(finding, "  ")
    services.return_finding(finding, "Ajouter un second extrait.")
    assert Finding.objects.get(pk=finding.pk).state == FindingState.RETURNED


def test_finding_appears_on_the_initiative_profile_and_the_public_list(published, client):
    assert "La confiance se construit" in client.get("/enseignements/").content.decode()
    profile = client.get(published["initiative"].get_absolute_url()).content.decode()
    assert published["finding"].get_absolute_url() in profile
