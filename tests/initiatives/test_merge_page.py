"""Staff merge two entries from a page: side by side, a choice per field, confirmed; and the
possible-duplicates step a creation form shows before writing."""

import lxml.html
import pytest
from django.contrib.auth.models import User
from django.template.loader import render_to_string

from initiatives.duplicates import duplicate_step
from initiatives.models import Initiative, Organisation, Role
from initiatives.services import publish, save_entry

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff():
    return User.objects.create_user("staff", is_staff=True)


@pytest.fixture
def pair(territory_factory, staff):
    commune = territory_factory(
        territory_factory.Level.COMMUNE, "62041", "Arras", latitude=50.29, longitude=2.78
    )
    a = save_entry(
        Initiative(territory=commune),
        {"name": "Maison des échanges", "summary": "Échanger.", "website": ""},
        by=staff,
    )
    b = save_entry(
        Initiative(territory=commune),
        {
            "name": "La Maison des Échanges",
            "summary": "Un lieu d’échanges.",
            "website": "https://maison.example.org",
        },
        by=staff,
    )
    publish(a)
    adere = Organisation.objects.create(name="ADERE", slug="adere")
    Role.objects.create(initiative=b, organisation=adere, kind="lead")
    return a, b


def form_fields(form):
    """What the browser would send: hidden inputs, checked radios, the submit."""
    data = {}
    for field in form.xpath(".//input"):
        kind = field.get("type", "text")
        if kind == "radio" and field.get("checked") is None:
            continue
        data[field.get("name")] = field.get("value", "")
    return data


def test_staff_compare_two_entries_choose_per_field_and_merge(client, staff, pair):
    a, b = pair
    client.force_login(staff)
    picked = lxml.html.fromstring(
        client.get(
            "/fusion/", {"kind": "initiative", "a": a.get_absolute_url(), "b": b.slug}
        ).content.decode()
    )
    (form,) = picked.xpath('//form[@data-testid="merge-compare"]')
    data = form_fields(form)
    # The empty website of the first defaults to the second's; the rest to the first's.
    assert data["pick_website"] == "b" and data["pick_name"] == "a" and data["survivor"] == "a"
    data["pick_summary"] = "b"

    response = client.post("/fusion/", data)

    assert response.status_code == 302 and response["Location"] == a.get_absolute_url()
    a.refresh_from_db()
    assert a.name == "Maison des échanges" and a.summary == "Un lieu d’échanges."
    assert a.website == "https://maison.example.org"
    assert Role.objects.filter(initiative=a).count() == 1
    assert not Initiative.objects.filter(pk=b.pk).exists()
    old = client.get(b.get_absolute_url())
    assert old.status_code == 301 and old["Location"] == a.get_absolute_url()


def test_the_merge_page_refuses_what_it_cannot_merge(client, staff, pair):
    a, _b = pair
    client.force_login(staff)
    assert client.get("/fusion/").status_code == 200  # the picking form
    # From an entry's history: the first one filled in.
    history = lxml.html.fromstring(client.get(f"/historique/initiative/{a.pk}/").content.decode())
    (link,) = history.xpath('//a[starts-with(@href, "/fusion/")]')
    picking = lxml.html.fromstring(client.get(link.get("href")).content.decode())
    assert picking.xpath('//input[@name="a"]/@value') == [str(a.pk)]
    assert client.get("/fusion/", {"a": a.slug, "b": a.slug}).status_code == 400
    assert client.get("/fusion/", {"a": a.slug, "b": "nothing"}).status_code == 400
    assert client.get("/fusion/", {"kind": "table", "a": "1", "b": "2"}).status_code == 400
    assert Initiative.objects.count() == 2


def test_nobody_but_staff_merges(client, pair):
    a, b = pair
    client.force_login(User.objects.create_user("visitor"))
    data = {"kind": "initiative", "a": a.pk, "b": b.pk, "survivor": "a"}
    assert client.get("/fusion/", data).status_code == 404
    assert client.post("/fusion/", data).status_code == 404
    assert Initiative.objects.count() == 2


def test_the_duplicates_step_lists_candidates_and_reads_the_answer(pair):
    a, b = pair
    data = {"name": "Maison des echanges", "territory": a.territory}

    step = duplicate_step(Initiative, data, {})
    assert step.needs_answer and {c.obj for c in step.candidates} == {a, b}
    html = lxml.html.fromstring(
        f"<form>{render_to_string('initiatives/_duplicates.html', {'duplicates': step})}</form>"
    )
    values = html.xpath('//input[@name="duplicate_answer"]/@value')
    assert sorted(values) == sorted([str(a.pk), str(b.pk), "different"])
    assert len(html.xpath('//li[@data-testid="duplicate-candidate"]')) == 2

    # Editing an existing entry: each candidate links to the merge page with both.
    step = duplicate_step(Initiative, data, {}, exclude_pk=b.pk)
    html = lxml.html.fromstring(
        render_to_string("initiatives/_duplicates.html", {"duplicates": step, "entry": b})
    )
    (link,) = html.xpath('//a[@data-testid="duplicate-merge"]/@href')
    assert link == f"/fusion/?kind=initiative&a={a.pk}&b={b.pk}"

    same = duplicate_step(Initiative, data, {"duplicate_answer": str(a.pk)})
    assert not same.needs_answer and same.same_as == a
    assert same.merge_url(b) == f"/fusion/?kind=initiative&a={a.pk}&b={b.pk}"
    different = duplicate_step(Initiative, data, {"duplicate_answer": "different"})
    assert not different.needs_answer and different.same_as is None
    # An answer naming no candidate is asked again.
    assert duplicate_step(Initiative, data, {"duplicate_answer": "999999"}).needs_answer
