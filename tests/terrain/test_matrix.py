"""Cases, attributes and the matrix query on the demo season, checked against independent counts."""

import codecs
import csv
import datetime
import io
import re
from collections import defaultdict
from html import unescape

import openpyxl
import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from lxml import etree

from initiatives.models import Initiative, Person, Pole
from observatoire.publishing import State
from terrain import services
from terrain.demo import load_demo_fieldwork
from terrain.demo_agreement import INTERVIEW_TITLE as DOUBLE_CODED
from terrain.models import (
    Attribute,
    AttributeValue,
    Case,
    CaseKind,
    Code,
    Excerpt,
    Interview,
    Interviewee,
    Known,
    Season,
    Transcript,
    Visit,
)
from terrain.services.cases import refresh_cases

from .refi_tools import assert_valid, project_xml

SECOND_TURNS = [
    {"speaker": "Chercheuse", "start_ms": 0, "end_ms": 5000, "text": "Qui décide, ici ?"},
    {
        "speaker": "Karim",
        "start_ms": 5000,
        "end_ms": 15000,
        "text": "Le conseil municipal suit, mais la confiance vient des habitants eux-mêmes.",
    },
    {
        "speaker": "Karim",
        "start_ms": 15000,
        "end_ms": 25000,
        "text": "Je traduis entre les élus et les associations, c'est de la médiation.",
    },
]


@pytest.fixture
def demo(db, territory_factory):
    """The demo season, on a territory and an initiative the directory knows, plus a second
    interview in another département, coded with the same codebook."""
    level = territory_factory.Level
    hdf = territory_factory(level.REGION, "32", "Hauts-de-France")
    pdc = territory_factory(level.DEPARTEMENT, "62", "Pas-de-Calais", parent=hdf)
    nord = territory_factory(level.DEPARTEMENT, "59", "Nord", parent=hdf)
    bruay = territory_factory(level.COMMUNE, "62178", "Bruay-la-Buissière", parent=pdc)
    roubaix = territory_factory(level.COMMUNE, "59512", "Roubaix", parent=nord)
    maison = Initiative.objects.create(
        name="Maison des échanges",
        slug="maison-des-echanges-bruay-la-buissiere",
        territory=bruay,
        state=State.PUBLISHED,
        stage="consolidated",
    )
    maison.themes.add("échange", "réemploi")
    pole = Pole.objects.create(name="PTCE Artois", slug="ptce-artois", territory=pdc)
    maison.poles.add(pole)
    season = load_demo_fieldwork()
    # The counts here are of single-coded interviews: the demo's interview in double coding
    # (counted by its reference coding once revealed) is left out, as test_agreement covers it.
    Excerpt.objects.filter(segment__transcript__interview__title=DOUBLE_CODED).delete()
    Interview.objects.filter(title=DOUBLE_CODED).delete()
    codes = {code.name: code for code in season.codes.all()}
    # A second visit: another initiative, another person, coded by the same researcher.
    tiers = Initiative.objects.create(
        name="Tiers-lieu du Pile", slug="tiers-lieu-du-pile", territory=roubaix, stage="emerging"
    )
    visit = Visit.objects.create(season=season, date=datetime.date(2018, 2, 1), territory=roubaix)
    visit.initiatives.add(tiers)
    interview = Interview.objects.create(visit=visit, title="Entretien au Pile")
    karim = Person.objects.create(first_name="Karim", last_name="Benali", slug="karim-benali")
    Interviewee.objects.create(interview=interview, person=karim, role="élu")
    segments = services.import_segments(
        Transcript.objects.create(interview=interview), SECOND_TURNS
    )
    researcher = season.researchers.get(username="researcher")
    start = segments[1].text.index("la confiance")
    services.code_excerpt(segments[1], start, start + 12, [codes["confiance"]], coder=researcher)
    services.code_excerpt(
        segments[2], 0, len(segments[2].text), [codes["médiation"], codes["gouvernance"]],
        coder=researcher,
    )  # fmt: skip
    User = get_user_model()
    member = User.objects.create_user("member", password="pw")
    season.researchers.add(member)
    outsider = User.objects.create_user("outsider", password="pw")
    Season.objects.create(title="Une autre saison").researchers.add(outsider)
    return {"season": season, "member": member, "outsider": outsider, "codes": codes}


def _independent_counts(season, region_of_interview):
    """{(code name, région): (excerpts, interviews)} from the coding tables and the territories
    of the initiatives met, never through the cases or their attribute values."""
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT c.name, e.id, t.interview_id
            FROM terrain_excerpt_codes ec
            JOIN terrain_code c ON c.id = ec.code_id
            JOIN terrain_excerpt e ON e.id = ec.excerpt_id
            JOIN terrain_segment s ON s.id = e.segment_id
            JOIN terrain_transcript t ON t.id = s.transcript_id
            WHERE c.season_id = %s
            """,
            [season.pk],
        )
        rows = cursor.fetchall()
    excerpts, interviews = defaultdict(set), defaultdict(set)
    for code, excerpt, interview in rows:
        for region in region_of_interview[interview]:
            excerpts[(code, region)].add(excerpt)
            interviews[(code, region)].add(interview)
    return {key: (len(excerpts[key]), len(interviews[key])) for key in excerpts}


def _regions_by_interview(season):
    regions = {}
    for interview in Interview.objects.filter(visit__season=season):
        met = interview.visit.initiatives.select_related("territory__parent__parent")
        regions[interview.pk] = {i.territory.parent.parent.name for i in met}
    return regions


def _departements_by_interview(season):
    found = {}
    for interview in Interview.objects.filter(visit__season=season):
        met = interview.visit.initiatives.select_related("territory__parent")
        found[interview.pk] = {i.territory.parent.name for i in met}
    return found


def _read_csv(response):
    assert response["Content-Type"].startswith("text/csv")
    # A BOM first, as the site's other CSV downloads: Excel then reads the accents as UTF-8.
    assert response.content.startswith(codecs.BOM_UTF8)
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


def _attribute(season, source, kind=CaseKind.INTERVIEWEE):
    return Attribute.objects.get(season=season, applies_to=kind, source=source)


def test_matrix_by_departement_counts_what_an_independent_query_counts(demo, client):
    season = demo["season"]
    client.force_login(demo["member"])
    refresh_cases(season)
    departement = _attribute(season, Known.DEPARTEMENT)
    expected = _independent_counts(season, _departements_by_interview(season))
    for measure, index in (("extraits", 0), ("entretiens", 1)):
        query = {"colonnes": departement.pk, "compte": measure}
        rows = _read_csv(client.get(reverse("terrain:matrix-csv", args=[season.pk]), query))
        header, body = rows[0], rows[1:-1]
        assert header[1:-1] == ["Nord", "Pas-de-Calais"]
        assert [row[0] for row in body] == [c.name for c in season.codes.order_by("position")]
        for row in body:
            for column, value in zip(header[1:-1], row[1:-1], strict=True):
                assert int(value) == expected.get((row[0], column), (0, 0))[index], (row, column)
        # The code's total: every excerpt of the code, whatever the column.
        totals = {row[0]: int(row[-1]) for row in body}
        assert totals["médiation"] == (3 if measure == "extraits" else 2)
        assert sum(int(v) for v in rows[-1][1:-1]) == int(rows[-1][-1])  # one département each


def test_xlsx_holds_the_same_table_as_the_csv(demo, client):
    season = demo["season"]
    client.force_login(demo["member"])
    refresh_cases(season)
    # A code whose name a spreadsheet would run as a formula stays text in both files.
    Code.objects.create(season=season, name="=1+1", position=99)
    query = {"colonnes": _attribute(season, Known.REGION).pk}
    rows = _read_csv(client.get(reverse("terrain:matrix-csv", args=[season.pk]), query))
    response = client.get(reverse("terrain:matrix-xlsx", args=[season.pk]), query)
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    cells = [
        ["" if v is None else str(v) for v in row] for row in sheet.iter_rows(values_only=True)
    ]
    assert cells == [[("=1+1" if c == "'=1+1" else c) for c in row] for row in rows]
    assert cells[0] == ["Code", "Hauts-de-France", "Ensemble des cas"]
    formula = next(row for row in sheet.iter_rows() if row[0].value == "=1+1")[0]
    assert formula.data_type == "s"


def test_a_cell_lists_its_excerpts_with_speaker_and_a_link_to_the_passage(demo, client):
    season = demo["season"]
    client.force_login(demo["member"])
    refresh_cases(season)
    stage = _attribute(season, Known.STAGE, CaseKind.INITIATIVE)
    page = client.get(reverse("terrain:matrix", args=[season.pk]), {"colonnes": stage.pk})
    assert page.status_code == 200
    html = page.content.decode()
    mediation = demo["codes"]["médiation"]
    row = re.search(rf'<tr data-code="{mediation.pk}">(.*?)</tr>', html, re.S).group(1)
    links = re.findall(r'<a href="([^"]+)">(\d+)</a>', row)
    # Columns: emerging (the Pile), consolidated (the Maison): the choices' order.
    assert [n for _url, n in links] == ["1", "2", "3"]
    response = client.get(unescape(links[1][0]))
    assert response.status_code == 200
    listed = response.content.decode()
    demo_passages = [e.text for e in mediation.excerpts.filter(segment__speaker="Ophélie")]
    assert len(demo_passages) == 2
    for passage in demo_passages:
        assert passage.replace("'", "&#x27;") in listed
    assert "Je traduis entre les élus" not in listed
    excerpt = mediation.excerpts.filter(segment__speaker="Ophélie").first()
    reader = excerpt.segment.transcript.interview.get_absolute_url()
    assert f'href="{reader}#segment-{excerpt.segment_id}"' in listed
    assert "Ophélie" in listed
    assert client.get(reader).status_code == 200


def test_researchers_attribute_filled_in_the_form_becomes_columns_and_filters(demo, client):
    season = demo["season"]
    client.force_login(demo["member"])
    url = reverse("terrain:cases", args=[season.pk])
    response = client.post(
        url, {"name": "Arrivée", "applies_to": "interviewee", "kind": "date", "choices": ""}
    )
    assert response.status_code == 302
    arrival = Attribute.objects.get(season=season, name="Arrivée")
    refused = client.post(url, {"name": "arrivée", "applies_to": "interviewee", "kind": "text"})
    assert refused.status_code == 400 and "déjà un attribut" in refused.content.decode()
    dates = {"ophelie-langlais": "2016-03-01", "karim-benali": "2019-09-15"}
    for case in Case.objects.filter(season=season, kind=CaseKind.INTERVIEWEE):
        edit = reverse("terrain:case", args=[season.pk, case.pk])
        assert client.post(edit, {f"a{arrival.pk}": "pas une date"}).status_code == 400
        response = client.post(edit, {f"a{arrival.pk}": dates[case.person.slug]})
        assert response.status_code == 302
        form = client.get(edit).content.decode()
        assert f'value="{dates[case.person.slug]}"' in form
    query = {"colonnes": arrival.pk, "compte": "entretiens"}
    rows = _read_csv(client.get(reverse("terrain:matrix-csv", args=[season.pk]), query))
    assert rows[0][1:-1] == ["01/03/2016", "15/09/2019"]
    confiance = next(row for row in rows if row[0] == "confiance")
    assert confiance[1:] == ["1", "1", "2"]
    # Filtered by a value of the attribute: only Karim's interview is counted.
    filtered = {**query, "attribut": f"{arrival.pk}:2019-09-15"}
    rows = _read_csv(client.get(reverse("terrain:matrix-csv", args=[season.pk]), filtered))
    confiance = next(row for row in rows if row[0] == "confiance")
    assert confiance[1:] == ["0", "1", "1"]


def test_cooccurrence_restricted_to_a_set_of_cases(demo, client):
    season = demo["season"]
    client.force_login(demo["member"])
    refresh_cases(season)
    url = reverse("terrain:cooccurrence", args=[season.pk])
    pile = Case.objects.get(season=season, initiative__slug="tiers-lieu-du-pile")
    maison = Case.objects.get(season=season, initiative__slug__startswith="maison")

    def pair(response, a, b):
        html = response.content.decode()
        header = re.findall(r'<th scope="col">([^<]+)</th>', html)
        row = re.search(rf'<th scope="row">{a}</th>(.*?)</tr>', html, re.S).group(1)
        return re.findall(r"<td>([^<]+)</td>", row)[header.index(b)]

    assert pair(client.get(url), "médiation", "gouvernance") == "1"
    assert pair(client.get(url, {"cas": pile.pk}), "médiation", "gouvernance") == "1"
    assert pair(client.get(url, {"cas": maison.pk}), "médiation", "gouvernance") == "0"
    assert pair(client.get(url, {"cas": maison.pk}), "gouvernance", "diagnostic partagé") == "1"


@pytest.mark.parametrize(
    "query",
    [
        {"attribut": "pas-un-attribut"},
        {"attribut": "999999:Nord"},
        {"code": "abc"},
        {"entretien": "0"},
        {"colonnes": "999999"},
        {"compte": "mots"},
    ],
)
def test_malformed_query_is_refused_with_a_message(demo, client, query):
    season = demo["season"]
    client.force_login(demo["member"])
    code = demo["codes"]["confiance"]
    names = ["matrix", "matrix-csv", "matrix-xlsx", "matrix-cell"]
    if not {"colonnes", "compte"} & query.keys():  # the co-occurrence takes the filters alone
        names.append("cooccurrence")
    for name in names:
        url = reverse(f"terrain:{name}", args=[season.pk])
        response = client.get(url, {**query, "ligne": code.pk})
        assert response.status_code == 400, name
        text = unescape(response.content.decode())
        assert re.search(r"(choix valide|valeur correcte|n’en fait pas partie)", text), text


def test_unknown_column_of_a_cell_is_refused(demo, client):
    season = demo["season"]
    client.force_login(demo["member"])
    url = reverse("terrain:matrix-cell", args=[season.pk])
    code = demo["codes"]["confiance"]
    response = client.get(url, {"ligne": code.pk, "colonne": "999999"})
    assert response.status_code == 400 and "colonne" in response.content.decode()


@pytest.mark.parametrize(
    "name", ["cases", "matrix", "matrix-cell", "matrix-csv", "matrix-xlsx", "cooccurrence"]
)
def test_matrix_and_cases_are_only_for_the_seasons_researchers(demo, client, name):
    season = demo["season"]
    url = reverse(f"terrain:{name}", args=[season.pk])
    url += f"?ligne={demo['codes']['confiance'].pk}"
    anonymous = client.get(url)
    assert anonymous.status_code == 302 and "/login/" in anonymous["Location"]
    client.force_login(demo["outsider"])
    assert client.get(url).status_code == 404
    refresh_cases(season)
    case = Case.objects.filter(season=season).first()
    assert client.get(reverse("terrain:case", args=[season.pk, case.pk])).status_code == 404
    client.force_login(get_user_model().objects.create_user("staffer", is_staff=True))
    assert client.get(url).status_code == 200


def test_known_attributes_follow_the_directory(demo):
    season = demo["season"]
    refresh_cases(season)
    ophelie = Case.objects.get(season=season, person__slug="ophelie-langlais")
    values = {(v.attribute.source, v.value) for v in ophelie.attribute_values.all()}
    assert {
        ("role", "coordinatrice"),
        ("region", "Hauts-de-France"),
        ("departement", "Pas-de-Calais"),
        ("ptce", "PTCE Artois"),
        ("stage", "consolidated"),
        ("themes", "échange"),
        ("themes", "réemploi"),
    } <= values
    pile = Case.objects.get(season=season, initiative__slug="tiers-lieu-du-pile")
    assert ("ptce", "") in {(v.attribute.source, v.value) for v in pile.attribute_values.all()}
    Initiative.objects.filter(slug="tiers-lieu-du-pile").update(stage="running")
    Interviewee.objects.filter(person__slug="karim-benali").update(role="maire")
    refresh_cases(season)
    karim = Case.objects.get(season=season, person__slug="karim-benali")
    values = {(v.attribute.source, v.value) for v in karim.attribute_values.all()}
    assert ("stage", "running") in values and ("role", "maire") in values
    assert ("role", "élu") not in values


def test_qdpx_carries_initiative_cases_and_researchers_values(demo, client):
    season = demo["season"]
    client.force_login(demo["member"])
    refresh_cases(season)
    size = services.cases.add_attribute(
        season, applies_to="initiative", name="Salariés", kind="number"
    )
    pile = Case.objects.get(season=season, initiative__slug="tiers-lieu-du-pile")
    services.cases.set_case_values(pile, {size: 12})
    xml = project_xml(client.get(reverse("terrain:export", args=[season.pk])).content)
    assert_valid(xml, "Project.xsd")
    root = etree.fromstring(xml)
    ns = {"q": "urn:QDA-XML:project:1.0"}
    case = root.find("q:Cases/q:Case[@name='Tiers-lieu du Pile']", ns)
    assert case is not None
    variable = root.find("q:Variables/q:Variable[@name='Salariés']", ns)
    assert variable.get("typeOfVariable") == "Float"
    holders = case.xpath(
        "q:VariableValue[q:VariableRef/@targetGUID=$guid]", namespaces=ns, guid=variable.get("guid")
    )
    assert [h.find("q:FloatValue", ns).text for h in holders] == ["12"]


def test_matrix_queries_do_not_grow_with_the_interviews(demo, client):
    season = demo["season"]
    client.force_login(demo["member"])
    url = reverse("terrain:matrix", args=[season.pk])
    refresh_cases(season)
    query = {"colonnes": _attribute(season, Known.REGION).pk}

    def count():
        client.get(url, query)  # cases brought in step first: the read itself is measured
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url, query).status_code == 200
        return len(queries.captured_queries)

    before = count()
    codes = demo["codes"]
    for n in range(3):
        visit = Visit.objects.create(season=season, date=datetime.date(2018, 3, 1 + n))
        interview = Interview.objects.create(visit=visit, title=f"Entretien {n}")
        person = Person.objects.create(first_name="P", last_name=f"{n}", slug=f"p-{n}")
        Interviewee.objects.create(interview=interview, person=person, role=f"rôle {n}")
        segments = services.import_segments(
            Transcript.objects.create(interview=interview), SECOND_TURNS
        )
        services.code_excerpt(segments[2], 0, 10, [codes["médiation"]], coder=demo["member"])
    assert count() == before


def test_a_researchers_attribute_is_deleted_with_its_values_but_not_a_known_one(demo, client):
    season = demo["season"]
    client.force_login(demo["member"])
    refresh_cases(season)
    trajectory = services.cases.add_attribute(
        season, applies_to="interviewee", name="Parcours", kind="text"
    )
    karim = Case.objects.get(season=season, person__slug="karim-benali")
    services.cases.set_case_values(karim, {trajectory: "ancien commerçant"})
    page = client.get(reverse("terrain:cases", args=[season.pk])).content.decode()
    assert "ancien commerçant" in page
    url = reverse("terrain:attribute-delete", args=[season.pk, trajectory.pk])
    assert client.get(url).status_code == 405
    assert client.post(url).status_code == 302
    assert not Attribute.objects.filter(pk=trajectory.pk).exists()
    assert not karim.attribute_values.filter(value="ancien commerçant").exists()
    region = _attribute(season, Known.REGION)
    client.post(reverse("terrain:attribute-delete", args=[season.pk, region.pk]))
    assert Attribute.objects.filter(pk=region.pk).exists()


def test_erasing_a_person_deletes_the_values_researchers_gave_their_case(demo):
    from observatoire.shredders import erase_person

    season = demo["season"]
    refresh_cases(season)
    trajectory = services.cases.add_attribute(
        season, applies_to="interviewee", name="Parcours", kind="text"
    )
    karim = Case.objects.get(season=season, person__slug="karim-benali")
    services.cases.set_case_values(karim, {trajectory: "ancien commerçant à Roubaix"})
    staff = get_user_model().objects.create_user("eraser", is_staff=True)
    report = erase_person(karim.person, by=staff)
    assert report is not None
    assert not AttributeValue.objects.filter(attribute=trajectory).exists()
    refresh_cases(season)
    karim.refresh_from_db()
    assert not karim.attribute_values.filter(attribute__source=Known.ROLE).exists()


def test_attribute_values_of_one_name_say_whose_they_are_in_the_filter(demo, client):
    season = demo["season"]
    client.force_login(demo["member"])
    refresh_cases(season)
    html = client.get(reverse("terrain:matrix", args=[season.pk])).content.decode()
    options = re.findall(r'<option value="\d+:[^"]*"[^>]*>([^<]*)</option>', html)
    departements = sorted(o for o in options if o.startswith("Département"))
    # Interviewees and initiatives both have a "Département": each value is told with whose.
    assert "Département (personnes interrogées)\u00a0: Pas-de-Calais" in departements
    assert "Département (initiatives)\u00a0: Pas-de-Calais" in departements
    assert len(departements) == len(set(departements))
    assert not [o for o in options if " : " in o]  # the French colon has its no-break space


def test_the_matrix_form_says_what_it_counts_when_the_query_does_not(demo, client):
    """With no "Count" in the address, the matrix counts excerpts, and its radio says so."""
    season = demo["season"]
    client.force_login(demo["member"])
    html = client.get(reverse("terrain:matrix", args=[season.pk])).content.decode()
    radios = re.findall(r'<input type="radio" name="compte"[^>]*>', html)
    assert len(radios) == 2
    checked = [radio for radio in radios if " checked" in radio]
    assert len(checked) == 1 and 'value="extraits"' in checked[0]
    html = client.get(reverse("terrain:matrix", args=[season.pk]), {"compte": "entretiens"})
    checked = re.findall(
        r'<input type="radio" name="compte"[^>]*checked[^>]*>', html.content.decode()
    )
    assert len(checked) == 1 and 'value="entretiens"' in checked[0]
