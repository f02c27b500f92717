"""Searchable pickers in Chromium: type a few letters, choose, save, and the choice is kept.

Without JavaScript the same fields are plain selects, and the forms still work.
"""

import datetime as dt

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from observatoire import roles
from observatoire.publishing import State

pytestmark = pytest.mark.browser

PASSWORD = "pw-Pickers-2026"


@pytest.fixture
def setting(db, territory_factory):
    from accompagnements.models import SupportMission
    from initiatives.models import Initiative, Organisation, Person
    from terrain.models import Season

    User = get_user_model()
    staff = User.objects.create_user("camille", password=PASSWORD, is_staff=True)
    staff.groups.add(Group.objects.get(name=roles.STAFF))
    researcher = User.objects.create_user("dominique", password=PASSWORD)
    researcher.groups.add(Group.objects.get(name=roles.RESEARCHER))
    commune = territory_factory(territory_factory.Level.COMMUNE, "62178", "Bruay-la-Buissière")
    # Enough initiatives that one would scroll and Ctrl-click in a plain multi-select.
    Initiative.objects.bulk_create(
        Initiative(
            name=f"Atelier vélo n°{n:03d}",
            slug=f"atelier-{n}",
            territory=commune,
            state="published",
        )
        for n in range(120)
    )
    maison = Initiative.objects.create(
        name="Maison des échanges", slug="maison", territory=commune, state=State.PUBLISHED
    )
    season = Season.objects.create(title="Saison 1")
    season.researchers.add(researcher)
    client = Organisation.objects.create(slug="adere-laura", name="ADERE LAURA")
    mission = SupportMission.objects.create(
        title="Projet associatif", client_organisation=client, start_date=dt.date(2022, 3, 1)
    )
    line = Person.objects.create(
        first_name="Line", last_name="Simon", slug="line-simon", state=State.PUBLISHED
    )
    return {
        "staff": staff,
        "researcher": researcher,
        "maison": maison,
        "season": season,
        "mission": mission,
        "line": line,
    }


def log_in(page, live_server, user, next_url):
    page.goto(f"{live_server.url}/comptes/login/?next={next_url}")
    page.fill("input[name=username]", user.username)
    page.fill("input[name=password]", PASSWORD)
    with page.expect_navigation():
        page.press("input[name=password]", "Enter")


def pick(page, select_id, typed, choice):
    """Type into the picker that replaced `select_id`, then click the suggestion `choice`."""
    box = page.locator(f"#{select_id}-ts-control")
    box.click()
    box.fill(typed)
    page.locator(f"#{select_id}-ts-dropdown .option", has_text=choice).click()


def test_visit_form_picks_an_initiative_by_typing(page, live_server, setting, assert_accessible):
    from terrain.models import Visit

    season = setting["season"]
    log_in(page, live_server, setting["researcher"], f"/terrain/{season.pk}/visites/nouvelle/")
    # The select is replaced by a box one types into, labelled by the field's label.
    assert page.locator("#id_initiatives.tomselected").count() == 1
    assert page.get_by_role("combobox", name="Initiatives rencontrées").count() == 1
    page.fill("#id_date", "2017-11-07")
    pick(page, "id_initiatives", "maison des ech", "Maison des échanges")
    assert page.locator(".ts-wrapper .item", has_text="Maison des échanges").count() == 1
    assert_accessible(page)  # the list still open, as the person sees it
    page.keyboard.press("Escape")
    page.keyboard.press("Tab")  # the person leaves the field for the next one
    # Closed before the person reaches the button below it (on a busy machine, not at once).
    page.locator("#id_initiatives-ts-dropdown").wait_for(state="hidden")
    assert_accessible(page)
    page.locator("#id_initiatives-ts-dropdown").wait_for(state="hidden")
    with page.expect_navigation():
        page.locator("form.quick-form button[type=submit]").click()
    visit = Visit.objects.get(season=season)
    assert list(visit.initiatives.all()) == [setting["maison"]]
    assert visit.date == dt.date(2017, 11, 7)


def test_mission_consultant_chosen_by_typing_is_kept_and_shown_again(page, live_server, setting):
    mission = setting["mission"]
    url = f"/missions/{mission.pk}/modifier/"
    log_in(page, live_server, setting["staff"], url)
    pick(page, "id_consultants", "sim", "Line Simon")
    pick(page, "id_initiatives", "échanges", "Maison des échanges")
    with page.expect_navigation():
        page.locator("form.staff-form button[type=submit]").click()
    assert list(mission.consultants.all()) == [setting["line"]]
    assert list(mission.initiatives.all()) == [setting["maison"]]
    # Opened again, the picker shows the saved choices.
    page.goto(live_server.url + url)
    chosen = page.locator(".ts-wrapper:has(#id_consultants-ts-control) .item")
    assert chosen.all_inner_texts()[0].startswith("Line Simon")


def test_without_javascript_the_plain_select_still_works(browser, live_server, setting):
    from terrain.models import Visit

    context = browser.new_context(java_script_enabled=False, locale="fr-FR")
    page = context.new_page()
    try:
        season = setting["season"]
        log_in(page, live_server, setting["researcher"], f"/terrain/{season.pk}/visites/nouvelle/")
        page.fill("#id_date", "2017-11-07")
        page.select_option("#id_initiatives", label="Maison des échanges")
        with page.expect_navigation():
            page.locator("form.quick-form button[type=submit]").click()
    finally:
        context.close()
    assert list(Visit.objects.get(season=season).initiatives.all()) == [setting["maison"]]
