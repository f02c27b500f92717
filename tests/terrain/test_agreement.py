"""Blind double coding: the figures against hand arithmetic and two libraries, blindness in the
pages, settling passages, and the CSV and QDPX that carry the figures."""

import codecs
import csv
import datetime
import io
import random

import krippendorff
import numpy as np
import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import translation
from nltk.metrics.agreement import AnnotationTask

from terrain import services
from terrain.agreement import Tally
from terrain.models import Code, Excerpt, Interview, Season, Settlement, Transcript, Visit
from terrain.refi import export_qdpx
from terrain.services import agreement

from .refi_tools import assert_valid, project_xml, read_qdpx

# Two turns of exactly 20 characters each: the transcript has 40 characters.
TURNS = [
    {"speaker": "Hélène", "start_ms": 0, "end_ms": 4000, "text": "La confiance est née"},
    {"speaker": "Joël", "start_ms": 4000, "end_ms": 8000, "text": "des échanges suivis."},
]


@pytest.fixture
def team(db):
    User = get_user_model()
    people = {
        name: User.objects.create_user(name, password="pw", first_name=name.title())
        for name in ("alice", "bruno", "chloe", "dora", "outsider")
    }
    season = Season.objects.create(title="Saison double", start_date=datetime.date(2024, 5, 1))
    season.researchers.add(*(people[n] for n in ("alice", "bruno", "chloe", "dora")))
    visit = Visit.objects.create(season=season, date=datetime.date(2024, 5, 3))
    interview = Interview.objects.create(visit=visit, title="Entretien croisé")
    transcript = Transcript.objects.create(interview=interview)
    segments = services.import_segments(transcript, TURNS)
    assert [len(s.text) for s in segments] == [20, 20]
    trust = Code.objects.create(season=season, name="Confiance", colour="#aa3300")
    exchange = Code.objects.create(season=season, name="Échanges", colour="#0044aa", position=1)
    return {
        "season": season,
        "interview": interview,
        "segments": segments,
        "trust": trust,
        "exchange": exchange,
        **people,
    }


def _code(team, who, segment, start, end, *codes):
    return services.code_excerpt(
        team["segments"][segment], start, end, codes or [team["trust"]], coder=team[who]
    )


def _reliability(team, coders, code):
    """Each coder's 0/1 for each of the 40 characters, read from the excerpts' offsets."""
    rows = []
    for who in coders:
        row = [0] * 40
        for excerpt in Excerpt.objects.filter(coder=team[who], codes=code):
            base = 20 * [s.pk for s in team["segments"]].index(excerpt.segment_id)
            for char in range(excerpt.start, excerpt.end):
                row[base + char] = 1
        rows.append(row)
    return rows


def _nltk(rows):
    data = [(str(c), i, str(v)) for c, row in enumerate(rows) for i, v in enumerate(row)]
    return AnnotationTask(data=data)


def _reveal(team, *coders):
    (double,) = agreement.start_double_coding(
        [team["interview"]], [team[c] for c in coders], by=team[coders[0]]
    )
    for who in coders:
        double = agreement.declare_done(double, team[who])
    return double


def test_two_coders_kappa_and_alpha_match_the_hand_computation_and_the_libraries(team):
    # Alice codes "La confiance" (characters 0-11 of turn 1: 12 characters); Bruno codes
    # "confiance" less its first letter (4-11: 8 characters) and "de" (turn 2, 0-1: 2 characters).
    _code(team, "alice", 0, 0, 12)
    _code(team, "bruno", 0, 4, 12)
    _code(team, "bruno", 1, 0, 2)
    double = _reveal(team, "alice", "bruno")
    (row, overall) = agreement.figures(double)
    # Of the 40 characters: both 8, Alice only 4, Bruno only 2, neither 26.
    assert row.tally.confusion() == (8, 4, 2, 26)
    # Percentage agreement = (8 + 26) / 40 = 85 %.
    assert row.percentage == pytest.approx(85.0)
    # Cohen's kappa: po = 34/40 = 0.85; pA = 12/40 = 0.3, pB = 10/40 = 0.25;
    # pe = 0.3 × 0.25 + 0.7 × 0.75 = 0.075 + 0.525 = 0.6; kappa = (0.85 - 0.6) / (1 - 0.6) = 0.625.
    assert row.kappa == pytest.approx(0.625)
    # Krippendorff's alpha (nominal): n = 80 values, 22 "coded" and 58 "not coded"; each of the 6
    # characters where they differ adds 1 to o(0,1) and 1 to o(1,0).
    # alpha = 1 - (n - 1) × (o01 + o10) / (2 × n0 × n1) = 1 - 79 × 12 / (2 × 58 × 22)
    #       = 1 - 948 / 2552 = 0.628527...
    assert row.alpha == pytest.approx(1 - 948 / 2552)
    # The libraries, fed every character as read from the excerpts, agree.
    rows = _reliability(team, ["alice", "bruno"], team["trust"])
    assert row.kappa == pytest.approx(_nltk(rows).kappa())
    assert row.alpha == pytest.approx(krippendorff.alpha(rows, level_of_measurement="nominal"))
    assert row.alpha == pytest.approx(_nltk(rows).alpha())
    # One code used: the overall row is the same figures.
    assert overall.code is None and overall.kappa == pytest.approx(row.kappa)


def test_three_coders_alpha_matches_the_hand_computation_and_the_libraries(team):
    # Alice 0-11, Bruno 0-9, Chloé 0-5 of turn 1: 6 characters coded by 3, 4 by 2, 2 by 1, 28 by 0.
    _code(team, "alice", 0, 0, 12)
    _code(team, "bruno", 0, 0, 10)
    _code(team, "chloe", 0, 0, 6)
    double = _reveal(team, "alice", "bruno", "chloe")
    row, _overall = agreement.figures(double)
    assert list(row.tally.patterns) == [28, 2, 4, 6]
    # n = 120 values; n1 = 6×3 + 4×2 + 2×1 = 28, n0 = 92. A character with k "coded" of 3 adds
    # k(3-k)/(3-1) to o(0,1): 4 × 1 + 2 × 1 = 6.
    # alpha = 1 - (n - 1) × o01 / (n0 × n1) = 1 - 119 × 6 / (92 × 28) = 1 - 714 / 2576 = 0.7228...
    assert row.alpha == pytest.approx(1 - 714 / 2576)
    rows = _reliability(team, ["alice", "bruno", "chloe"], team["trust"])
    assert row.alpha == pytest.approx(krippendorff.alpha(rows, level_of_measurement="nominal"))
    assert row.alpha == pytest.approx(_nltk(rows).alpha())
    assert row.kappa is None  # Cohen's kappa is for two coders
    assert row.percentage == pytest.approx(100 * (6 + 28) / 40)


def test_the_shortened_value_counts_give_the_library_s_alpha_on_every_character():
    generator = random.Random(19)
    for coders in (2, 3, 5):
        for _ in range(20):
            data = np.array(
                [[generator.random() < 0.3 for _ in range(300)] for _ in range(coders)], dtype=int
            )
            data[:, :40] = 1  # some units every coder codes
            result = Tally(coders)
            result.patterns = np.bincount(data.sum(axis=0), minlength=coders + 1)
            result.coded = data.sum(axis=1)
            assert result.alpha() == pytest.approx(
                krippendorff.alpha(data, level_of_measurement="nominal")
            )


def test_several_codes_pool_into_the_overall_figures(team):
    _code(team, "alice", 0, 0, 12)
    _code(team, "bruno", 0, 4, 12)
    _code(team, "alice", 1, 4, 12, team["exchange"])
    _code(team, "bruno", 1, 4, 12, team["exchange"])
    double = _reveal(team, "alice", "bruno")
    trust, exchange, overall = agreement.figures(double)
    assert (trust.code, exchange.code) == (team["trust"], team["exchange"])
    assert exchange.kappa == pytest.approx(1.0) and exchange.percentage == pytest.approx(100)
    # 80 units (40 characters × 2 codes): the library on the two codes' characters end to end.
    rows = [
        a + b
        for a, b in zip(
            _reliability(team, ["alice", "bruno"], team["trust"]),
            _reliability(team, ["alice", "bruno"], team["exchange"]),
            strict=True,
        )
    ]
    assert overall.tally.units == 80
    assert overall.alpha == pytest.approx(krippendorff.alpha(rows, level_of_measurement="nominal"))
    assert overall.kappa == pytest.approx(_nltk(rows).kappa())


def test_a_coder_does_not_see_the_other_s_excerpts_until_both_are_done(team, client):
    _code(team, "alice", 0, 0, 12)
    hidden = _code(team, "bruno", 1, 0, 11)  # "des échange"
    (double,) = agreement.start_double_coding(
        [team["interview"]], [team["alice"], team["bruno"]], by=team["dora"]
    )
    url = team["interview"].get_absolute_url()
    client.force_login(team["alice"])
    page = client.get(url).content.decode()
    assert "«&nbsp;La confiance&nbsp;»" in page
    assert "«&nbsp;des échange&nbsp;»" not in page and "Bruno" not in page
    # Nor through the codebook's excerpts of the code, the finding picker or the export.
    code_page = client.get(reverse("terrain:code", args=[team["season"].pk, team["trust"].pk]))
    assert f"/extraits/{hidden.pk}/" not in code_page.content.decode()
    codebook = client.get(reverse("terrain:codebook", args=[team["season"].pk]))
    assert [c.excerpt_count for c, _depth in codebook.context["tree"]] == [1, 0]
    assert b"des \xc3\xa9change" not in project_xml(
        client.get(reverse("terrain:export", args=[team["season"].pk])).content
    )
    # Alice is done; Bruno is not: still blind.
    client.post(reverse("terrain:agreement-done", args=[team["season"].pk, team["interview"].pk]))
    assert "«&nbsp;des échange&nbsp;»" not in client.get(url).content.decode()
    # Dora, of the season but not a coder, sees both.
    client.force_login(team["dora"])
    assert "«&nbsp;des échange&nbsp;»" in client.get(url).content.decode()
    agreement.declare_done(double, team["bruno"])
    client.force_login(team["alice"])
    page = client.get(url).content.decode()
    assert "«&nbsp;des échange&nbsp;»" in page and "Bruno" in page


def test_a_coder_who_declared_done_keeps_the_coding_declared(team):
    excerpt = _code(team, "alice", 0, 0, 12)
    (double,) = agreement.start_double_coding(
        [team["interview"]], [team["alice"], team["bruno"]], by=team["alice"]
    )
    agreement.declare_done(double, team["alice"])
    with pytest.raises(services.TerrainError):
        _code(team, "alice", 1, 0, 5)
    with pytest.raises(services.TerrainError):
        services.uncode_excerpt(excerpt, team["trust"])
    agreement.reopen(double, team["alice"])  # nothing is shown yet: she may take it back
    _code(team, "alice", 1, 0, 5)


def test_settling_keeps_one_coder_s_coding_as_reference_and_the_originals_stay(team, client):
    alice = _code(team, "alice", 0, 0, 12)  # disagreement: Bruno codes 4-11
    bruno = _code(team, "bruno", 0, 4, 12)
    _code(team, "alice", 1, 4, 12, team["exchange"])  # agreement
    _code(team, "bruno", 1, 4, 12, team["exchange"])
    double = _reveal(team, "alice", "bruno")
    first, second = agreement.passages(double)
    assert (first.agreed, first.settled) == (False, False)
    assert (second.agreed, second.settled) == (True, True)  # taken into the reference at once
    client.force_login(team["dora"])
    response = client.post(
        reverse("terrain:agreement-settle", args=[team["season"].pk, team["interview"].pk]),
        {"passage": first.key, "choice": f"coder-{team['bruno'].pk}"},
    )
    assert response.status_code == 302
    settlement = Settlement.objects.get(choice=Settlement.Choice.CODER)
    assert settlement.kept_coder == team["bruno"] and settlement.settled_by == team["dora"]
    (reference,) = settlement.excerpts.all()
    assert (reference.segment, reference.start, reference.end) == (bruno.segment, 4, 12)
    assert reference.text == "onfiance" and list(reference.codes.all()) == [team["trust"]]
    assert reference.coder is None and reference.coder_name == "Codage de référence"
    assert Excerpt.objects.filter(pk__in=[alice.pk, bruno.pk]).count() == 2
    assert all(p.settled for p in agreement.passages(double))
    # Settling it again is refused with a sentence, not a second reference.
    again = client.post(
        reverse("terrain:agreement-settle", args=[team["season"].pk, team["interview"].pk]),
        {"passage": first.key, "choice": "all"},
    )
    assert again.status_code == 400
    assert "déjà réglé" in again.content.decode()
    assert Settlement.objects.filter(double_coding=double).count() == 2


def test_keeping_every_coder_s_coding_or_neither(team):
    _code(team, "alice", 0, 0, 6)
    _code(team, "bruno", 0, 3, 12)
    _code(team, "alice", 1, 0, 3)
    _code(team, "bruno", 1, 2, 6, team["exchange"])
    double = _reveal(team, "alice", "bruno")
    first, second = agreement.passages(double)
    union = agreement.settle_passage(double, first.key, "all", by=team["dora"])
    assert [(e.start, e.end) for e in union.excerpts.all()] == [(0, 12)]
    neither = agreement.settle_passage(double, second.key, "none", by=team["dora"])
    assert not neither.excerpts.exists()


def test_the_figures_download_as_csv_that_the_csv_module_reads(team, client):
    _code(team, "alice", 0, 0, 12)
    _code(team, "bruno", 0, 4, 12)
    _code(team, "bruno", 1, 0, 2)
    _reveal(team, "alice", "bruno")
    client.force_login(team["chloe"])
    response = client.get(reverse("terrain:agreement-csv", args=[team["season"].pk]))
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    # A BOM first, as the site's other CSV downloads: Excel then reads the accents as UTF-8.
    assert response.content.startswith(codecs.BOM_UTF8)
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    # Headers and the overall row in one language, the page's.
    assert list(rows[0]) == [
        "Entretien",
        "Identifiant de l’entretien",
        "Code",
        "GUID du code",
        "Codeurs et codeuses",
        "Caractères",
        "Pourcentage d’accord",
        "Kappa de Cohen",
        "Alpha de Krippendorff",
    ]
    assert [row["Code"] for row in rows] == ["Confiance", "Ensemble"]
    assert rows[0]["Entretien"] == "Entretien croisé"
    assert rows[0]["Codeurs et codeuses"] == "Alice | Bruno"
    assert float(rows[0]["Kappa de Cohen"]) == pytest.approx(0.625)
    assert float(rows[0]["Alpha de Krippendorff"]) == pytest.approx(1 - 948 / 2552, abs=1e-4)
    assert float(rows[0]["Pourcentage d’accord"]) == 85.0 and rows[0]["Caractères"] == "40"


def test_the_figures_csv_speaks_english_throughout_on_the_english_site(team, client):
    _code(team, "alice", 0, 0, 12)
    _code(team, "bruno", 0, 4, 12)
    _reveal(team, "alice", "bruno")
    client.force_login(team["chloe"])
    with translation.override("en"):
        url = reverse("terrain:agreement-csv", args=[team["season"].pk])
    assert url.startswith("/en/")
    response = client.get(url)
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0] == [
        "Interview",
        "Interview ID",
        "Code",
        "Code GUID",
        "Coders",
        "Characters",
        "Percentage agreement",
        "Cohen’s kappa",
        "Krippendorff’s alpha",
    ]
    assert [row[2] for row in rows[1:]] == ["Confiance", "Overall"]


def test_the_qdpx_states_each_coder_the_reference_and_the_agreement(team, tmp_path):
    _code(team, "alice", 0, 0, 12)
    _code(team, "bruno", 0, 4, 12)
    _code(team, "bruno", 1, 0, 2)
    double = _reveal(team, "alice", "bruno")
    agreement.settle_passage(double, agreement.passages(double)[0].key, "all", by=team["dora"])
    qdpx = export_qdpx(team["season"])
    assert_valid(project_xml(qdpx), "Project.xsd")
    project, folder = read_qdpx(qdpx, tmp_path)
    users = {user.guid: user.name for user in project.users.user}
    assert sorted(users.values()) == ["Alice", "Bruno", "Codage de référence"]
    (source,) = project.sources.text_source
    creators = sorted(users[s.creating_user] for s in source.plain_text_selection)
    assert creators == ["Alice", "Bruno", "Bruno", "Codage de référence"]
    notes = {note.guid: note for note in project.notes.note}
    (ref,) = [notes[r.target_guid] for r in source.note_ref]
    text = (folder / "sources" / f"{ref.guid}.txt").read_text(encoding="utf-8")
    assert "Alice, Bruno" in text and "Confiance\u00a0; 85,0\u00a0; 0,625\u00a0; 0,629" in text


def test_only_the_season_s_researchers_and_staff_open_the_double_coding(team, client):
    _reveal(team, "alice", "bruno")
    url = reverse("terrain:agreement", args=[team["season"].pk, team["interview"].pk])
    client.force_login(team["outsider"])
    assert client.get(url).status_code == 404
    assert client.get(reverse("terrain:agreements", args=[team["season"].pk])).status_code == 404
    assert client.get(reverse("terrain:agreement-csv", args=[team["season"].pk])).status_code == 404
    staff = get_user_model().objects.create_user("staff", password="pw", is_staff=True)
    client.force_login(staff)
    assert client.get(url).status_code == 200


def test_starting_double_coding_from_the_season_page(team, client):
    client.force_login(team["dora"])
    url = reverse("terrain:agreements", args=[team["season"].pk])
    one = client.post(url, {"whole_season": "on", "coders": [team["alice"].pk]})
    assert one.status_code == 400 and "au moins deux" in one.content.decode()
    response = client.post(
        url, {"whole_season": "on", "coders": [team["alice"].pk, team["bruno"].pk]}
    )
    assert response.status_code == 302
    double = team["interview"].double_coding
    assert sorted(double.coders.values_list("username", flat=True)) == ["alice", "bruno"]
    assert double.blind
    bad = client.post(url, {"interviews": ["x"], "coders": ["y"]})
    assert bad.status_code == 400


def test_a_malformed_settlement_gets_the_page_again_with_a_400_and_settles_nothing(team, client):
    _code(team, "alice", 0, 0, 12)
    _code(team, "bruno", 0, 4, 12)
    double = _reveal(team, "alice", "bruno")
    (first,) = agreement.passages(double)
    before = Settlement.objects.filter(double_coding=double).count()
    client.force_login(team["dora"])
    url = reverse("terrain:agreement-settle", args=[team["season"].pk, team["interview"].pk])
    for data, said in (
        ({"passage": first.key}, "Choisissez ce qu’il faut garder de ce passage."),
        ({"passage": first.key, "choice": "coder-999999"}, "Choisissez l’un des codeurs"),
        ({"passage": first.key, "choice": "coder-x"}, "Choisissez l’un des codeurs"),
        ({"passage": "abc", "choice": "all"}, "Ce passage n’existe plus"),
        ({"choice": "none"}, "Ce passage n’existe plus"),
    ):
        response = client.post(url, data)
        assert response.status_code == 400, data
        page = response.content.decode()
        assert said in page, data
        assert "Garder dans le codage de référence" in page  # the passages, to choose again
    assert Settlement.objects.filter(double_coding=double).count() == before
    assert not agreement.passages(double)[0].settled


def test_the_reader_counts_the_coders_who_finished_in_good_french(team, client):
    (double,) = agreement.start_double_coding(
        [team["interview"]], [team["alice"], team["bruno"], team["chloe"]], by=team["dora"]
    )
    url = team["interview"].get_absolute_url()
    client.force_login(team["dora"])
    assert "(0 sur 3 a terminé)" in client.get(url).content.decode()
    double = agreement.declare_done(double, team["alice"])
    assert "(1 sur 3 a terminé)" in client.get(url).content.decode()
    agreement.declare_done(double, team["bruno"])
    client.force_login(team["chloe"])
    assert "(2 sur 3 ont terminé)" in client.get(url).content.decode()
    assert "(2 of 3 have finished)" in client.get("/en" + url).content.decode()


def test_the_settling_choices_elide_de_before_a_coder_s_vowel(team, client):
    _code(team, "alice", 0, 0, 12)
    _code(team, "bruno", 0, 4, 12)
    _reveal(team, "alice", "bruno")
    client.force_login(team["dora"])
    url = reverse("terrain:agreement", args=[team["season"].pk, team["interview"].pk])
    page = client.get(url).content.decode()
    assert "le codage d’Alice</label>" in page and "le codage de Bruno</label>" in page
    assert "de Alice" not in page


def test_once_every_interview_is_in_double_coding_the_page_says_so_instead_of_an_empty_form(
    team, client
):
    client.force_login(team["dora"])
    url = reverse("terrain:agreements", args=[team["season"].pk])
    assert "Lancer le double codage en aveugle" in client.get(url).content.decode()
    client.post(
        url, {"interviews": [team["interview"].pk], "coders": [team["alice"].pk, team["bruno"].pk]}
    )
    page = client.get(url).content.decode()
    assert "Tous les entretiens de la saison sont déjà en double codage." in page
    assert "Lancer le double codage en aveugle" not in page


def test_once_revealed_the_matrix_counts_the_reference_coding_not_each_coder_s(team, client):
    """Two coders code the same two passages: before the reveal the matrix counts both coders'
    excerpts; after it and a settlement it counts the reference coding alone, each passage once,
    while every coder's excerpt stays in the database."""
    from terrain.matrix import season_excerpts

    _code(team, "alice", 0, 0, 12)
    _code(team, "bruno", 0, 4, 12)
    _code(team, "alice", 1, 4, 12, team["exchange"])
    _code(team, "bruno", 1, 4, 12, team["exchange"])
    season = team["season"]
    matrix = reverse("terrain:matrix-csv", args=[season.pk])
    client.force_login(team["dora"])

    def trust_and_exchange():
        rows = list(csv.reader(io.StringIO(client.get(matrix).content.decode("utf-8-sig"))))
        totals = {row[0]: row[-1] for row in rows[1:]}
        return totals["Confiance"], totals["Échanges"]

    assert season_excerpts(season).count() == 4
    assert trust_and_exchange() == ("2", "2")

    double = _reveal(team, "alice", "bruno")
    first, _second = agreement.passages(double)
    agreement.settle_passage(
        double, first.key, Settlement.Choice.CODER, kept_coder=team["bruno"], by=team["dora"]
    )
    shown = season_excerpts(season)
    assert {e.coder_id for e in shown} == {None} and shown.count() == 2
    assert trust_and_exchange() == ("1", "1")
    assert Excerpt.objects.filter(coder__isnull=False).count() == 4  # the originals stay
