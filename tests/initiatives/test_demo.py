"""Tests of `load_demo`: seed entities on their real communes, idempotency, drafts, accounts."""

from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.http import HttpRequest
from taggit.models import Tag, TaggedItem

from initiatives import demo
from initiatives.models import (
    Affiliation,
    CallForInterest,
    Initiative,
    MembershipRole,
    Organisation,
    Person,
    Pole,
    PoleMembership,
    Role,
)
from observatoire.publishing import State

COUNT = 40

# Real communes of the seed texts (INSEE code, name, latitude, longitude, département, région).
REAL_COMMUNES = [
    ("62178", "Bruay-la-Buissière", 50.4833, 2.5500, "62", "32"),
    ("62041", "Arras", 50.2910, 2.7775, "62", "32"),
    ("63113", "Clermont-Ferrand", 45.7772, 3.0870, "63", "84"),
    ("69123", "Lyon", 45.7640, 4.8357, "69", "84"),
    ("69266", "Villeurbanne", 45.7667, 4.8803, "69", "84"),
    ("45234", "Orléans", 47.9030, 1.9093, "45", "24"),
    ("75056", "Paris", 48.8566, 2.3522, "75", "11"),
    ("92050", "Nanterre", 48.8924, 2.2069, "92", "11"),
    ("31555", "Toulouse", 43.6047, 1.4442, "31", "76"),
    ("80021", "Amiens", 49.8941, 2.2958, "80", "32"),
    ("24322", "Périgueux", 45.1846, 0.7214, "24", "75"),
]
REGIONS = {
    "11": "Île-de-France",
    "24": "Centre-Val de Loire",
    "32": "Hauts-de-France",
    "52": "Pays de la Loire",
    "75": "Nouvelle-Aquitaine",
    "76": "Occitanie",
    "84": "Auvergne-Rhône-Alpes",
}


@pytest.fixture
def territories(territory_factory):
    """A few real communes with coordinates, some generated ones, and some without coordinates."""
    Level = territory_factory.Level
    regions = {code: territory_factory(Level.REGION, code, name) for code, name in REGIONS.items()}
    departements = {}
    communes = {}
    for code, name, lat, lng, dep, reg in REAL_COMMUNES:
        if dep not in departements:
            departements[dep] = territory_factory(
                Level.DEPARTEMENT, dep, f"Département {dep}", regions[reg]
            )
        communes[code] = territory_factory(
            Level.COMMUNE, code, name, departements[dep], latitude=lat, longitude=lng
        )
    for n in range(12):
        code = f"63{300 + n}"
        communes[code] = territory_factory(
            Level.COMMUNE,
            code,
            f"Saint-Martin-{n}",
            departements["63"],
            latitude=45.0 + n / 10,
            longitude=3.0 + n / 10,
            population=1000 * (n + 1),
        )
    for n in range(5):
        code = f"63{400 + n}"
        communes[code] = territory_factory(
            Level.COMMUNE, code, f"Sans-Coord-{n}", departements["63"]
        )
    return communes


def load(**options):
    out = StringIO()
    call_command("load_demo", count=COUNT, stdout=out, stderr=StringIO(), **options)
    return out.getvalue()


def snapshot():
    User = get_user_model()
    models = [
        Initiative,
        Organisation,
        Person,
        Pole,
        PoleMembership,
        Role,
        Affiliation,
        CallForInterest,
        Tag,
        TaggedItem,
        User,
        User.groups.through,
        Initiative.poles.through,
        Pole.calls_for_interest.through,
    ]
    counts = {model.__name__: model.objects.count() for model in models}
    counts["published initiatives"] = Initiative.objects.published().count()
    return counts


def test_seed_initiatives_are_on_their_real_communes(territories):
    load()
    expected = {
        "maison-des-echanges-bruay-la-buissiere": "62178",
        "reseau-d-achats-adere-laura": "69123",
        "l-adere-en-2032": "69123",
        "mediateur-traducteur": "63113",
        "accompagnement-rd-ptce-centre": "63113",
        "agenda-commun-ess-centre-val-de-loire": "45234",
        "capteurs-d-innovation-sociale": "80021",
        "occitania-creativa": "24322",
    }
    for slug, code in expected.items():
        initiative = Initiative.objects.get(slug=slug)
        assert initiative.territory.code == code, slug
        assert initiative.state == State.PUBLISHED, slug
        assert initiative.latitude == initiative.territory.latitude
    maison = Initiative.objects.get(slug="maison-des-echanges-bruay-la-buissiere")
    assert maison.roles.filter(person__last_name="Langlais", kind="lead").exists()
    assert "économie circulaire" in set(maison.themes.names())
    assert Initiative.objects.get(slug="ami-innovation-sociale-pas-de-calais").territory.level == (
        "departement"
    )
    assert Initiative.objects.get(slug="observatoire-de-l-implicite").territory.code == "52"
    assert Organisation.objects.get(acronym="CISCA").territory.code == "63113"
    assert Organisation.objects.get(slug="institut-godin").territory.code == "80021"

    cisca_poles = Pole.objects.filter(
        memberships__organisation__slug="cisca", memberships__role=MembershipRole.PILOT
    )
    assert cisca_poles.count() == 2
    assert all(pole.stage == "emerging" for pole in cisca_poles)
    assert CallForInterest.objects.filter(name="AMI PTCE", year=2021).exists()
    # The only seed person who is merely a contact stays unpublished.
    assert not Person.objects.published().filter(slug="geoffrey-volat").exists()
    assert Person.objects.get(slug="geoffrey-volat").phone == ""


def test_generated_initiatives_spread_over_communes_with_coordinates(territories):
    load()
    seeds = {row["slug"] for row in demo.SEED_INITIATIVES}
    generated = Initiative.objects.exclude(slug__in=seeds).select_related("territory")
    assert generated.count() == COUNT
    for initiative in generated:
        assert initiative.territory.latitude is not None
        assert abs(initiative.latitude - initiative.territory.latitude) < 0.02
        assert abs(initiative.longitude - initiative.territory.longitude) < 0.02
        assert initiative.summary
        assert initiative.roles.filter(kind__in=["lead", "founder"]).count() == 1
    assert len({i.territory_id for i in generated}) > 5
    assert Organisation.objects.exclude(slug__in=[r["slug"] for r in demo.SEED_ORGANISATIONS])
    assert Pole.objects.count() == 2 + COUNT // 25
    assert Pole.objects.filter(calls_for_interest__year=2021).exists() or COUNT // 25 < 2


def test_running_twice_gives_the_same_counts(territories):
    load()
    first = snapshot()
    rows = set(
        Initiative.objects.values_list("slug", "state", "territory_id", "latitude", "longitude")
    )
    load()
    assert snapshot() == first
    assert (
        set(
            Initiative.objects.values_list("slug", "state", "territory_id", "latitude", "longitude")
        )
        == rows
    )


def test_a_smaller_count_removes_only_generated_rows(territories):
    own = Initiative.objects.create(
        name="Recyclerie de Lyon", slug="ma-recyclerie", territory=territories["69123"]
    )
    load()
    call_command("load_demo", count=10, stdout=StringIO())
    seeds = {row["slug"] for row in demo.SEED_INITIATIVES} | {own.slug}
    assert Initiative.objects.exclude(slug__in=seeds).count() == 10
    assert Initiative.objects.filter(pk=own.pk).exists()
    assert Organisation.objects.filter(slug="cisca").exists()


def test_a_seed_whose_territory_is_missing_is_skipped_with_a_note(territories):
    from territoires.models import Territory

    Territory.objects.filter(level="region", code="52").delete()
    err = StringIO()
    call_command("load_demo", count=5, stdout=StringIO(), stderr=err)
    assert "Observatoire de l'Implicite" in err.getvalue()
    assert not Initiative.objects.filter(slug="observatoire-de-l-implicite").exists()
    assert Organisation.objects.filter(slug="institut-des-territoires-cooperatifs").exists()


def test_drafts_exist_and_published_excludes_them(territories):
    load()
    drafts = Initiative.objects.filter(state=State.DRAFT)
    assert drafts.exists()
    published = Initiative.objects.published()
    assert not published.filter(pk__in=drafts).exists()
    assert published.count() == Initiative.objects.count() - drafts.count()
    assert Organisation.objects.filter(state=State.DRAFT).exists()


def test_accounts_are_in_their_groups_and_can_sign_in(territories, client):
    output = load()
    User = get_user_model()
    for username, password, group, is_staff, is_superuser in demo.DEMO_ACCOUNTS:
        user = User.objects.get(username=username)
        assert user.is_staff == is_staff
        assert user.is_superuser == is_superuser
        assert list(user.groups.values_list("name", flat=True)) == ([group] if group else [])
        assert password in output
        # django-axes checks every sign-in against its lockouts: it needs the request.
        assert client.login(request=HttpRequest(), username=username, password=password)
        client.logout()
    assert "public" in output


def test_refused_where_demo_is_not_allowed(territories, settings):
    settings.DEMO_ALLOWED = False
    with pytest.raises(CommandError, match="DEMO_ALLOWED"):
        load()
    assert not get_user_model().objects.exists()
    assert not Initiative.objects.exists()


def test_missing_territories_is_one_clear_error(db):
    with pytest.raises(CommandError, match="load_territories"):
        load()
    assert not Initiative.objects.exists()


def test_generation_is_deterministic():
    communes = [
        demo.Commune(n, f"01{n:03d}", name, 45 + n / 10, 4 + n / 10, None, 1.0)
        for n, name in enumerate(["Le Mans", "Orléans", "Les Sables-d'Olonne", "Lyon", "Vienne"])
    ]
    first = demo.generated_specs(communes, 60, seed=7)
    second = demo.generated_specs(communes, 60, seed=7)
    assert [s.fields for s in first.initiatives] == [s.fields for s in second.initiatives]
    slugs = [s.slug for s in first.initiatives]
    assert len(slugs) == len(set(slugs)) == 60
    assert demo.generated_specs(communes, 60, seed=8).initiatives[0].fields != (
        first.initiatives[0].fields
    )


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Lyon", "de Lyon"),
        ("Orléans", "d'Orléans"),
        ("Le Mans", "du Mans"),
        ("Les Sables-d'Olonne", "des Sables-d'Olonne"),
        ("La Rochelle", "de La Rochelle"),
        ("Évry", "d'Évry"),
    ],
)
def test_of_elides_like_french(name, expected):
    assert demo.of(name) == expected


def test_slugs_keep_ligatures():
    assert demo._slug("PTCE Cœur d'Orléans") == "ptce-coeur-dorleans"
