"""The researchers' workspace reads as French is written: "d’Élodie", the singular for one, dates
in the reader's language and never ISO."""

import datetime

from django.core import mail
from django.urls import reverse
from django.utils import timezone, translation

from initiatives.models import Person
from terrain import tasks
from terrain.models import Consent, Interviewee


def test_a_consent_page_elides_de_before_a_vowel(client, fieldwork):
    elodie = Person.objects.create(first_name="Élodie", last_name="Martin", slug="elodie-martin")
    interviewee = Interviewee.objects.create(interview=fieldwork["interview"], person=elodie)
    client.force_login(fieldwork["users"]["member"])
    url = reverse("terrain:consent", args=[fieldwork["season"].pk, interviewee.pk])
    html = client.get(url).content.decode()
    assert "<h1>Consentement d’Élodie Martin</h1>" in html
    assert str(Consent.objects.get(interviewee=interviewee)) == "Consentement d’Élodie Martin"
    # A mute "h" elides too; a consonant keeps its "de"; English has nothing to elide.
    helene = fieldwork["helene_consent"].interviewee
    html = client.get(reverse("terrain:consent", args=[fieldwork["season"].pk, helene.pk]))
    assert "<h1>Consentement d’Hélène Brûlé</h1>" in html.content.decode()
    joel = fieldwork["joel_consent"].interviewee
    html = client.get(reverse("terrain:consent", args=[fieldwork["season"].pk, joel.pk]))
    assert "<h1>Consentement de Joël Pérez</h1>" in html.content.decode()
    html = client.get("/en" + url).content.decode()
    assert "<h1>Consent of Élodie Martin</h1>" in html


def test_visits_are_named_by_a_date_in_the_readers_language(client, fieldwork):
    client.force_login(fieldwork["users"]["member"])
    url = reverse("terrain:season", args=[fieldwork["season"].pk])
    french = client.get(url).content.decode()
    assert "3 mai 2024" in french and "2024-05-03" not in french
    english = client.get("/en" + url).content.decode()
    assert "May 3, 2024" in english and "2024-05-03" not in english


def test_an_expired_consent_gives_its_date_as_the_reader_writes_it(fieldwork):
    consent = fieldwork["helene_consent"]
    consent.valid_until = datetime.date(2024, 5, 1)
    with translation.override("fr"):
        assert consent.refusal() == "le consentement a expiré le 1 mai 2024"


def test_one_expired_consent_is_told_in_the_singular(published, django_capture_on_commit_callbacks):
    consent = published["helene_consent"]
    consent.valid_until = timezone.localdate() - datetime.timedelta(days=1)
    consent.save()
    with django_capture_on_commit_callbacks(execute=True), translation.override("fr"):
        assert tasks.apply_expired_consents() == 1
    body = mail.outbox[0].body
    assert body.startswith("Le consentement de 1 personne interrogée est arrivé à échéance. Ses ")
    assert "(s)" not in body


def test_the_codebook_has_one_french_name_on_its_page_and_in_its_messages(client, fieldwork):
    """The page is titled "Grille de codage": its versions, export and messages say the same."""
    client.force_login(fieldwork["users"]["member"])
    url = reverse("terrain:codebook", args=[fieldwork["season"].pk])
    publish = reverse("terrain:codebook-publish", args=[fieldwork["season"].pk])
    response = client.post(publish, {"note": "premier jet"}, follow=True)
    html = response.content.decode()
    assert response.redirect_chain[-1][0] == url
    assert "<h1>Grille de codage</h1>" in html
    assert "Version 1 de la grille de codage publiée." in html
    assert "Publier une version de la grille de codage" in html
    assert "La grille de codage seule (.qdc)" in html
    again = client.post(publish, follow=True).content.decode()
    assert "La grille de codage n’a pas changé depuis la version 1." in again
    assert "livre de codes" not in (html + again).lower()


def test_the_cases_page_elides_de_before_a_case_s_vowel(client, fieldwork):
    elodie = Person.objects.create(first_name="Élodie", last_name="Martin", slug="elodie-martin")
    Interviewee.objects.create(interview=fieldwork["interview"], person=elodie)
    client.force_login(fieldwork["users"]["member"])
    html = client.get(reverse("terrain:cases", args=[fieldwork["season"].pk])).content.decode()
    assert "Modifier les valeurs d’Élodie Martin</a>" in html
    assert "de Élodie" not in html


def test_the_speaker_turns_help_says_what_shift_click_ticks(client, fieldwork):
    client.force_login(fieldwork["users"]["member"])
    html = client.get(fieldwork["interview"].get_absolute_url()).content.decode()
    assert "Maj+clic sur le dernier (ceux qui sont entre les deux se cochent aussi)" in html
    assert "ceux d’entre eux" not in html
