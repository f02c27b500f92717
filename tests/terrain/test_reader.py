"""The reader marks coded passages with their codes' names, and codes without a reload."""

import json
from types import SimpleNamespace

from django.urls import reverse

from terrain.templatetags.coding import coded_pieces


def _excerpt(start, end, *codes):
    return SimpleNamespace(start=start, end=end, codes=SimpleNamespace(all=lambda: list(codes)))


def test_overlapping_excerpts_are_cut_into_pieces_with_every_covering_code():
    trust, mediation = SimpleNamespace(pk=1), SimpleNamespace(pk=2)
    pieces = coded_pieces("abcdefgh", [_excerpt(1, 5, trust), _excerpt(3, 7, mediation)])
    assert [(text, [c.pk for c in codes]) for text, codes in pieces] == [
        ("a", []),
        ("bc", [1]),
        ("de", [1, 2]),
        ("fg", [2]),
        ("h", []),
    ]


def test_reader_marks_a_coded_passage_with_the_names_of_its_codes(client, fieldwork):
    client.force_login(fieldwork["users"]["member"])
    page = client.get(fieldwork["interview"].get_absolute_url()).content.decode()
    assert 'Confiance" style="--code-1: #aa3300"' in page
    assert '<mark class="coded" data-codes="' in page


def test_coding_a_passage_returns_the_segment_rendered_again(client, fieldwork):
    client.force_login(fieldwork["users"]["member"])
    segment, code = fieldwork["segments"][0], fieldwork["codes"][1]
    response = client.post(
        reverse("terrain:code-passage", args=[fieldwork["season"].pk]),
        json.dumps({"segment": segment.pk, "start": 0, "end": 7, "codes": [code.pk]}),
        content_type="application/json",
    )
    data = response.json()
    assert response.status_code == 200
    assert data["segment"] == segment.pk
    assert data["html"].startswith(f'<li class="segment" id="segment-{segment.pk}"')
    assert '<mark class="coded"' in data["html"] and "Diagnostic partagé" in data["html"]


def test_finding_excerpts_are_picked_by_code_and_by_text(client, fieldwork):
    from terrain.models import FindingExcerpt

    client.force_login(fieldwork["users"]["member"])
    season, finding = fieldwork["season"], fieldwork["finding"]
    FindingExcerpt.objects.filter(finding=finding, excerpt=fieldwork["joel_excerpt"]).delete()
    url = reverse("terrain:finding", args=[season.pk, finding.pk])
    diagnosis = fieldwork["codes"][1]

    by_code = client.get(url, {"code": diagnosis.pk}).context["choices"]
    assert by_code == [fieldwork["joel_excerpt"]]  # the one already backing it is not offered
    assert client.get(url, {"q": "méfiaient"}).context["choices"] == []
    assert client.get(url, {"q": "diagnostic été"}).context["choices"] == [
        fieldwork["joel_excerpt"]
    ]

    response = client.post(
        reverse("terrain:finding-add-excerpt", args=[season.pk, finding.pk]),
        {"excerpt": fieldwork["joel_excerpt"].pk, "next": f"{url}?q=diagnostic"},
    )
    assert response.url == f"{url}?q=diagnostic"
    assert finding.backing.filter(excerpt=fieldwork["joel_excerpt"]).exists()
    outside = client.post(
        reverse("terrain:finding-add-excerpt", args=[season.pk, finding.pk]),
        {"excerpt": fieldwork["excerpt"].pk, "next": "https://elsewhere.example/"},
    )
    assert outside.url == url


def test_the_reader_rows_carry_no_form_each_brings_its_own_when_asked(client, fieldwork):
    """A three-hour transcript would repeat the edit form 3,000 times: a row has an "Edit" that
    htmx fills from the segment's URL; without htmx, that URL is a page with the form."""
    client.force_login(fieldwork["users"]["member"])
    segment, season = fieldwork["segments"][0], fieldwork["season"]
    page = client.get(fieldwork["interview"].get_absolute_url()).content.decode()
    url = reverse("terrain:segment-edit", args=[season.pk, segment.pk])
    assert '<textarea name="text"' not in page
    assert f'data-hx-get="{url}" data-hx-trigger="toggle once"' in page
    assert '<select name="person-person"' not in page  # the interviewee picker comes when opened

    fragment = client.get(url, headers={"HX-Request": "true"}).content.decode()
    assert fragment.startswith("<form") and f'action="{url}"' in fragment
    assert "csrfmiddlewaretoken" in fragment and segment.text in fragment
    alone = client.get(url).content.decode()
    assert "<html" in alone and segment.text in alone

    added = reverse("terrain:interviewee-add", args=[season.pk, fieldwork["interview"].pk])
    fragment = client.get(added, headers={"HX-Request": "true"}).content.decode()
    assert fragment.startswith("<form") and 'name="person-person"' in fragment

    client.post(url, {"text": "Un texte revu.", "speaker": segment.speaker})
    segment.refresh_from_db()
    assert segment.text == "Un texte revu."
