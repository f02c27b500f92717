"""English pages speak English: each role walks the pages it works on under /en/ and meets none of
the French words of the interface (menus, buttons, day and month names, the themes and the
assessment grid of the shared vocabulary). The data's own French (names, summaries) may stay."""

import datetime as dt
import re
from html.parser import HTMLParser

import pytest
from django.contrib.auth.models import Group, User
from django.utils import timezone

from observatoire.roles import PARTNER, RESEARCHER, STAFF

FRENCH = [
    "Rechercher", "Enseignements", "Territoires", "Télécharger", "Enregistrer", "Modifier",
    "Précédent", "Précédente", "Suivant", "Suivante", "Accueil", "Se connecter", "Se déconnecter",
    "Aucun", "Aucune", "tous publics", "Terminé", "Thèmes", "Espace partenaires", "Vos espaces",
    "Filtrer", "Retour", "Nouvelle", "Nouvel", "Tableau", "lun", "dim", "janvier", "février",
    "juin", "juillet", "novembre", "décembre", "coopération", "alimentation", "Capteurs",
    "Ancrage territorial", "Réponse à un besoin social", "Affirmé", "Exemplaire",
]  # fmt: skip
WORDS = re.compile(r"(?<![\w-])(" + "|".join(map(re.escape, FRENCH)) + r")(?![\w-])")
SHOWN_ATTRIBUTES = {"aria-label", "title", "placeholder", "alt"}


class ShownText(HTMLParser):
    """What a person reads or hears: text, labels read out, and the charts' JSON; not URLs."""

    def __init__(self):
        super().__init__()
        self.parts, self.skip = [], False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        # Code shows data verbatim (an export's example values are the stored French words).
        self.skip = tag == "code" or (
            tag in ("script", "style") and attrs.get("type") != "application/json"
        )
        self.parts += [value for name, value in attrs.items() if name in SHOWN_ATTRIBUTES and value]
        if tag == "input" and attrs.get("type") in ("submit", "button"):
            self.parts.append(attrs.get("value") or "")

    def handle_endtag(self, tag):
        self.skip = False

    def handle_data(self, data):
        if not self.skip:
            self.parts.append(data)


def french_words(html: str) -> set[str]:
    parser = ShownText()
    parser.feed(html)
    return set(WORDS.findall("\n".join(parser.parts)))


@pytest.fixture
def site(db, territory_factory):
    """A little of everything, its own French kept clear of the words looked for."""
    from accompagnements.models import Method, SupportMission, Workshop
    from agenda import services as agenda
    from agenda.models import Event, Kind
    from evaluations import demo
    from initiatives.models import Initiative, Organisation
    from initiatives.services import publish
    from terrain.models import Interview, Season, Visit

    commune = territory_factory(territory_factory.Level.COMMUNE, "62178", "Bruay-la-Buissière")
    maison = Initiative.objects.create(
        name="Maison des échanges", slug=demo.INITIATIVE_SLUG, summary="On échange des objets.",
        territory=commune, start_date=dt.date(2012, 3, 1),
    )  # fmt: skip
    maison.themes.add("coopération", "alimentation")
    publish(maison)
    demo.load_demo_assessments()
    now = timezone.localtime()
    agenda.publish(
        Event.objects.create(
            title="Rencontre des voisins", starts_at=now.replace(day=12, hour=10),
            territory=commune, kind=Kind.MEETING,
        )
    )  # fmt: skip

    people = {}
    for role in (PARTNER, RESEARCHER, STAFF):
        people[role] = User.objects.create_user(role, is_staff=role == STAFF)
        people[role].groups.add(Group.objects.get(name=role))
    season = Season.objects.create(title="Saison 2024", start_date=dt.date(2024, 5, 1))
    season.researchers.add(people[RESEARCHER])
    visit = Visit.objects.create(season=season, date=dt.date(2024, 6, 3), territory=commune)
    interview = Interview.objects.create(visit=visit, title="Entretien avec la coordination")
    client_organisation = Organisation.objects.create(name="ADERE", slug="adere")
    mission = SupportMission.objects.create(title="Projet", client_organisation=client_organisation)
    workshop = Workshop.objects.create(
        mission=mission, title="Atelier", date=now, method=Method.METAPLAN
    )

    public = [
        "/en/", "/en/initiatives/", "/en/initiatives/?theme=cooperation",
        maison.get_absolute_url(), "/en/agenda/", f"/en/agenda/mois/{now.year}/{now.month}/",
        "/en/enseignements/", "/en/publications/", "/en/donnees/", "/en/carte/",
        "/en/ptce/", "/en/recherche/?q=maison", "/en/nulle-part/",
    ]  # fmt: skip
    assessments = f"/en/evaluations/initiative/{maison.slug}/"
    fieldwork = [
        "/en/terrain/",
        f"/en/terrain/{season.pk}/",
        f"/en/terrain/{season.pk}/entretiens/{interview.pk}/",
        f"/en/terrain/{season.pk}/codes/",
    ]
    return {
        "people": people,
        None: public,
        PARTNER: public + ["/en/espace-partenaire/", "/en/terrain/"],  # the second one: a 403
        RESEARCHER: public + fieldwork + [assessments, "/en/traitements/"],
        STAFF: public + fieldwork + [
            assessments, "/en/missions/", "/en/missions/tableau-de-bord/",
            f"/en/missions/{mission.pk}/", f"/en/missions/ateliers/{workshop.pk}/metaplan/",
            "/en/traitements/", "/en/espace-partenaire/", "/en/agenda/moderation/",
        ],
    }  # fmt: skip


@pytest.mark.parametrize("role", [None, PARTNER, RESEARCHER, STAFF])
def test_english_pages_show_no_french_interface_words(client, site, role):
    if role is not None:
        client.force_login(site["people"][role])
    found = {}
    for url in site[role]:
        url = url if url.startswith("/en/") else "/en" + url
        response = client.get(url)
        assert response.status_code in (200, 403, 404), (url, response.status_code)
        assert '<html lang="en">' in response.content.decode(), url
        words = french_words(response.content.decode())
        if words:
            found[url] = sorted(words)
    assert not found, "\n".join(f"{url}: {words}" for url, words in found.items())


def test_the_walk_would_see_french(client, site):
    """The same walk on the French pages finds the words: the list is not blind."""
    html = client.get(site[None][3].removeprefix("/en")).content.decode()
    assert {"Rechercher", "coopération", "Capteurs"} <= french_words(html)
