"""The profile's nearby and similar blocks, the directory's theme counts and a territory page's
counts on the embedded SQLite default, in a fresh database.

Both rank with SQL written for PostgreSQL first (initiatives/similar.py, and
observatoire.db.first_rows): SQLite takes the grouping ranking and the same UNION ALL statement,
with the same order.
"""

from tests.fresh_python import run_script

SCRIPT = """
import django
django.setup()
from django.core.management import call_command
call_command("migrate", verbosity=0)
from django.test import Client
from django.test.utils import setup_test_environment
setup_test_environment()  # responses carry their context
from initiatives.models import Initiative
from initiatives.services import publish
from territoires.models import Territory
place = Territory.objects.create(
    level="commune", code="59350", name="Lille", slug="lille", latitude=50.63, longitude=3.06
)
def make(name, themes, **position):
    item = Initiative.objects.create(
        name=name, slug=name.lower().replace(" ", "-"), summary="Une initiative.", territory=place,
        **position
    )
    item.themes.add(*themes)
    return publish(item)
make("Profile", ["mobilité", "habitat"], latitude=50.63, longitude=3.06)
make("Close", ["habitat"], latitude=50.64, longitude=3.06)
make("Far", ["mobilité", "habitat"], latitude=51.2, longitude=3.06)
make("No position", ["culture"])
context = Client(HTTP_HOST="localhost").get("/initiatives/profile/").context
print("nearby", [item.name for item in context["nearby"]])
print("similar", [(item.name, item.shared) for item in context["similar"]])
directory = Client(HTTP_HOST="localhost").get("/initiatives/").context["directory"]
themes = next(facet for facet in directory.facets if facet.name == "theme")
print("themes", [(value.label, value.count) for value in themes.values])
filtered = Client(HTTP_HOST="localhost").get("/initiatives/", {"theme": ["habitat", "mobilité"]})
print("filtered", sorted(item.name for item in filtered.context["directory"].page))
# The territory page counts the initiatives themselves there (no trigger-kept counts).
region = Territory.objects.create(level="region", code="32", name="Hauts-de-France", slug="hdf")
Territory.objects.filter(pk=place.pk).update(parent=region, path="r32/c59350/")
region.path = "r32/"
region.save()
page = Client(HTTP_HOST="localhost").get("/territoires/region/32/").context
print("territory", page["page"].paginator.count, page["located"], len(page["page"].object_list))
"""


def test_nearby_and_similar_on_a_fresh_sqlite_database(tmp_path):
    result = run_script(SCRIPT, tmp_path)

    assert result.returncode == 0, result.stderr
    assert "nearby ['Close', 'Far']" in result.stdout
    assert "similar [('Far', 2), ('Close', 1)]" in result.stdout
    # Most used first, then in French order (h before m).
    assert "themes [('habitat', 3), ('mobilité', 2), ('culture', 1)]" in result.stdout
    assert "filtered ['Close', 'Far', 'Profile']" in result.stdout  # each once
    assert "territory 4 True 4" in result.stdout
