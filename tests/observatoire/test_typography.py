"""French typography, in the catalogue and on the pages: a non-breaking space before : ; ? ! and
inside « », "de" elided before a vowel, real plurals, and one word per sense ("all")."""

import re

import pytest
from django.contrib.auth.models import User
from django.template import Context, Template
from django.utils import translation
from django.utils.safestring import SafeData, mark_safe

from accompagnements.models import Audience
from observatoire.typography import elide

from .test_translations import FR_PO, read_po

SPACES = "\u00a0\u202f"  # non-breaking space, narrow non-breaking space
PLAIN_SPACE_BEFORE = re.compile(r" [:;?!]")
NO_SPACE_BEFORE = re.compile(rf"[^\s{SPACES}:/(\[\d][;?!](?=\s|$)|[^\s{SPACES}:/\d]:(?=\s|$)")
QUOTED = re.compile(r"«[^»]*»|`[^`]*`")  # code and examples quoted as typed keep their colons
NOT_ELIDED = re.compile(r"\b[Dd]e [aeiouéèêàâîïôûAEIOUÉÈÊÀÂÎÏÔÛ]\w")
PLURAL_HACK = re.compile(r"\w\(s\)")


def _french_messages():
    for entry in read_po(FR_PO):
        if entry["msgid"]:
            for text in entry["msgstr"].values():
                yield entry["msgid"], text


def test_french_messages_put_a_non_breaking_space_before_double_punctuation():
    wrong = [
        (msgid, text)
        for msgid, text in _french_messages()
        if PLAIN_SPACE_BEFORE.search(text) or NO_SPACE_BEFORE.search(QUOTED.sub("", text))
    ]
    assert not wrong, "\n".join(f"{m!r}: {t!r}" for m, t in wrong)


def test_french_quotes_hold_non_breaking_spaces():
    wrong = [
        (msgid, text)
        for msgid, text in _french_messages()
        if re.search(rf"«[^{SPACES}]|[^{SPACES}]»", text) or "“" in text or '"' in text
    ]
    assert not wrong, "\n".join(f"{m!r}: {t!r}" for m, t in wrong)


def test_french_messages_elide_and_never_fake_a_plural():
    wrong = [
        (msgid, text)
        for msgid, text in _french_messages()
        if NOT_ELIDED.search(text) or PLURAL_HACK.search(text) or "'" in text
    ]
    assert not wrong, "\n".join(f"{m!r}: {t!r}" for m, t in wrong)


@pytest.mark.parametrize(
    "composed, written",
    [
        ("Consentement de Élodie", "Consentement d’Élodie"),
        ("Fichiers de Atelier de Bruay", "Fichiers d’Atelier de Bruay"),
        ("Évaluations de Hélène", "Évaluations d’Hélène"),
        ("Carte des initiatives de Île-de-France", "Carte des initiatives d’Île-de-France"),
        ("Consentement de Joël", "Consentement de Joël"),
        ("Fichiers de Yann", "Fichiers de Yann"),
        ("Carte des initiatives de Hauts-de-France", "Carte des initiatives de Hauts-de-France"),
        ("Files of Élodie", "Files of Élodie"),
    ],
)
def test_elide(composed, written):
    assert elide(composed) == written


def test_elide_keeps_escaped_markup_safe():
    result = elide(mark_safe("Fichiers de &lt;Atelier&gt; de Ostende"))
    assert isinstance(result, SafeData) and result == "Fichiers de &lt;Atelier&gt; d’Ostende"
    assert not isinstance(elide("de Anne"), SafeData)


@pytest.mark.parametrize(
    "language, expected", [("fr", "État\u00a0: ouverte ; a\u00a0; b"), ("en", "State: open ; a; b")]
)
def test_colon_and_semicolon_follow_the_language(language, expected):
    template = Template(
        "{% load i18n typography %}"
        "{% translate 'State' %}{% colon %} {{ value }} ; a{% semicolon %} b"
    )
    value = "ouverte" if language == "fr" else "open"
    with translation.override(language):
        assert template.render(Context({"value": value})) == expected


@pytest.mark.django_db
def test_all_reads_tous_on_the_job_board_and_tous_publics_for_an_audience(client):
    client.force_login(User.objects.create_user("staff", is_staff=True))
    html = client.get("/traitements/").content.decode()
    assert html.count('<option value="">tous</option>') == 2
    assert "tous publics" not in html
    assert "en file d’attente\u00a0: <strong>0</strong>" in html
    with translation.override("fr"):
        assert str(Audience.ALL.label) == "tous publics"
    english = client.get("/en/traitements/").content.decode()
    assert english.count('<option value="">all</option>') == 2
    assert "queued: <strong>0</strong>" in english
