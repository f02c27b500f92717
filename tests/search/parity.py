"""The territories the demo data sits on, made by hand: both databases of the parity test get them.

Importable by a fresh interpreter (tests/fresh_python.py) as well as by pytest: plain functions.
"""

# INSEE code, name, latitude, longitude, département, région (as tests/initiatives/test_demo.py).
COMMUNES = [
    ("62178", "Bruay-la-Buissière", 50.4833, 2.5500, "62", "32"),
    ("62041", "Arras", 50.2910, 2.7775, "62", "32"),
    ("62765", "Saint-Omer", 50.7500, 2.2500, "62", "32"),
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
DEPARTEMENTS = {"62": "Pas-de-Calais", "63": "Puy-de-Dôme", "69": "Rhône", "75": "Paris"}


def make_places():
    """Régions, départements and communes, with positions (the demo spreads initiatives on them)."""
    from django.utils.text import slugify

    from territoires.models import Level, Territory

    def make(level, code, name, parent=None, **extra):
        return Territory.objects.create(
            level=level, code=code, name=name, slug=slugify(name), parent=parent, **extra
        )

    regions = {code: make(Level.REGION, code, name) for code, name in REGIONS.items()}
    departements = {}
    for code, name, lat, lng, dep, reg in COMMUNES:
        if dep not in departements:
            label = DEPARTEMENTS.get(dep, f"Département {dep}")
            departements[dep] = make(Level.DEPARTEMENT, dep, label, regions[reg])
        make(Level.COMMUNE, code, name, departements[dep], latitude=lat, longitude=lng)


def load_demo_data(count=40):
    """The places, then the demo data of `load_demo` (a fixed seed: the same rows each time)."""
    from initiatives.demo import load_demo

    make_places()
    load_demo(count=count)


# Each query, and an initiative it must find (besides finding the same rows on both databases).
QUERIES = [
    ("cooperation", "occitania-creativa"),  # "coopération", "coopératives": one stem
    ("echanges", "maison-des-echanges-bruay-la-buissiere"),
    ("Maison des Échanges", "maison-des-echanges-bruay-la-buissiere"),  # "des": a stop word
    ("legumerie", None),
    ("mobilité", None),
    ("économie circulaire", "maison-des-echanges-bruay-la-buissiere"),  # a theme
    ("epicerie solidaire", None),
    ("jardin or epicerie", None),
    ("cooperation -habitants", "occitania-creativa"),
    ("innovation sociale Pas-de-Calais", "ami-innovation-sociale-pas-de-calais"),  # a place
    ("Maison des Échnages", "maison-des-echanges-bruay-la-buissiere"),  # a typo: the fallback
]


def run_queries() -> dict:
    """{query: {kind: sorted URLs of every result, all pages}} and how each was answered."""
    from observatoire.search import KINDS, search

    found = {}
    for query, _known in QUERIES:
        answer = {}
        for kind in KINDS:
            urls, number = [], 1
            while True:
                results = search(query, kind=kind, page=number)
                page = results.groups[0].page
                urls += [hit.url for hit in page.object_list]
                if not page.has_next():
                    break
                number += 1
            answer[kind] = sorted(urls)
        answer["how"] = [results.scoped, results.fuzzy, str(results.territory or "")]
        found[query] = answer
    return found
