"""Saving a dated record unchanged keeps every date: each edit form opened in Chromium, in French.

A French page rendered dates as `07/11/2017` inside `<input type="date">`, which the browser
rejects: the field showed empty and saving erased the date (or, where it is required, the browser
refused to send the form). Each test opens the edit form as the role that edits it, submits it
without touching anything and reads the row back from the database.
"""

import datetime as dt
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.utils import timezone

from observatoire import roles
from observatoire.publishing import State

pytestmark = pytest.mark.browser

PASSWORD = "pw-Dates-2026"


def paris(*args):
    return timezone.make_aware(dt.datetime(*args), timezone.get_default_timezone())


@pytest.fixture
def people(db):
    User = get_user_model()
    staff = User.objects.create_user("camille", password=PASSWORD, is_staff=True)
    staff.groups.add(Group.objects.get(name=roles.STAFF))
    researcher = User.objects.create_user("dominique", password=PASSWORD)
    researcher.groups.add(Group.objects.get(name=roles.RESEARCHER))
    return {"staff": staff, "researcher": researcher}


@pytest.fixture
def commune(territory_factory):
    return territory_factory(territory_factory.Level.COMMUNE, "62178", "Bruay-la-Buissière")


def log_in(page, live_server, user):
    page.goto(f"{live_server.url}/comptes/login/")
    page.fill("input[name=username]", user.username)
    page.fill("input[name=password]", PASSWORD)
    page.press("input[name=password]", "Enter")
    page.wait_for_load_state("load")


def save_unchanged(page, url, form_selector):
    """Open the form, check that no date input looks empty, and submit it as it is."""
    page.goto(url)
    empty = page.eval_on_selector_all(
        f"{form_selector} input[type=date], {form_selector} input[type=datetime-local]",
        "inputs => inputs.filter(i => i.defaultValue && !i.value).map(i => i.name)",
    )
    assert empty == [], f"the browser rejected the value of {empty}"
    with page.expect_navigation():
        page.locator(f"{form_selector} button[type=submit]").last.click()
    assert page.locator(".messages li.success").count() == 1


def test_consent_keeps_its_signature_and_validity_dates(page, live_server, people, commune):
    from initiatives.models import Person
    from terrain.models import Consent, Interview, Interviewee, Season, Visit

    season = Season.objects.create(title="Saison 1")
    season.researchers.add(people["researcher"])
    visit = Visit.objects.create(season=season, date=dt.date(2017, 11, 7), territory=commune)
    interview = Interview.objects.create(visit=visit, title="Entretien")
    person = Person.objects.create(first_name="Ophélie", last_name="Langlais", slug="ophelie")
    interviewee = Interviewee.objects.create(interview=interview, person=person)
    consent = Consent.objects.create(
        interviewee=interviewee,
        quoting_allowed=True,
        signed_at=dt.date(2017, 11, 7),
        valid_until=dt.date(2030, 12, 31),
    )
    log_in(page, live_server, people["researcher"])
    save_unchanged(
        page,
        f"{live_server.url}/terrain/{season.pk}/consentements/{interviewee.pk}/",
        "form.quick-form",
    )
    consent.refresh_from_db()
    assert consent.signed_at == dt.date(2017, 11, 7)
    assert consent.valid_until == dt.date(2030, 12, 31)


def test_mission_and_its_funding_lines_keep_their_dates(page, live_server, people):
    from accompagnements.models import Funding, SupportMission
    from initiatives.models import Organisation

    client = Organisation.objects.create(slug="adere-laura", name="ADERE LAURA")
    dreets = Organisation.objects.create(slug="dreets", name="DREETS Auvergne-Rhône-Alpes")
    mission = SupportMission.objects.create(
        title="Renouveler le projet associatif",
        client_organisation=client,
        start_date=dt.date(2022, 3, 1),
        end_date=dt.date(2023, 6, 30),
    )
    line = Funding.objects.create(
        mission=mission,
        funder=dreets,
        programme="DREETS",
        amount=Decimal("12000.50"),
        start_date=dt.date(2022, 1, 1),
        end_date=dt.date(2022, 12, 31),
    )
    log_in(page, live_server, people["staff"])
    save_unchanged(page, f"{live_server.url}/missions/{mission.pk}/modifier/", "form.staff-form")
    mission.refresh_from_db()
    line.refresh_from_db()
    assert (mission.start_date, mission.end_date) == (dt.date(2022, 3, 1), dt.date(2023, 6, 30))
    assert (line.start_date, line.end_date) == (dt.date(2022, 1, 1), dt.date(2022, 12, 31))
    assert line.amount == Decimal("12000.50")


def test_workshop_keeps_its_date_and_time(page, live_server, people):
    from accompagnements.models import Method, SupportMission, Workshop
    from initiatives.models import Organisation

    client = Organisation.objects.create(slug="adere-laura", name="ADERE LAURA")
    mission = SupportMission.objects.create(title="Projet associatif", client_organisation=client)
    workshop = Workshop.objects.create(
        mission=mission,
        title="L'Adere en 2032",
        date=paris(2022, 6, 16, 14, 0),
        method=Method.BACKCASTING,
    )
    log_in(page, live_server, people["staff"])
    save_unchanged(
        page, f"{live_server.url}/missions/ateliers/{workshop.pk}/modifier/", "form.staff-form"
    )
    workshop.refresh_from_db()
    assert workshop.date == paris(2022, 6, 16, 14, 0)


@pytest.fixture
def assessment(people, commune):
    from evaluations import services
    from evaluations.models import Criterion, CriterionLevel, Dimension, Grid
    from initiatives.models import Initiative

    grid = Grid.objects.create(name="Capteurs d'innovation sociale")
    dimension = Dimension.objects.create(grid=grid, name="Gouvernance", position=0)
    criterion = Criterion.objects.create(dimension=dimension, name="Participation", position=0)
    level = CriterionLevel.objects.create(criterion=criterion, value=2, label="Consultés")
    initiative = Initiative.objects.create(
        name="Maison des échanges", slug="maison", territory=commune, state=State.PUBLISHED
    )
    return services.save_assessment(
        grid=grid,
        initiative=initiative,
        date=dt.date(2017, 11, 7),
        scores={criterion.pk: (level.pk, "Vu lors de la visite")},
        by=people["researcher"],
    )


def test_assessment_keeps_its_date(page, live_server, people, assessment):
    log_in(page, live_server, people["researcher"])
    save_unchanged(page, f"{live_server.url}/evaluations/{assessment.pk}/", "form.assessment-form")
    assessment.refresh_from_db()
    assert assessment.date == dt.date(2017, 11, 7)
    assert assessment.scores.get().evidence == "Vu lors de la visite"


def test_new_assessment_is_sent_with_its_prefilled_date(page, live_server, people, assessment):
    """The pre-filled date (today) used to be rejected by the browser, which blocked the form."""
    from evaluations.models import Assessment

    log_in(page, live_server, people["researcher"])
    url = f"{live_server.url}/evaluations/initiative/{assessment.initiative.slug}/nouvelle/"
    save_unchanged(page, f"{url}?grid={assessment.grid_id}", "form.assessment-form")
    newest = Assessment.objects.latest("pk")
    assert newest.pk != assessment.pk
    assert newest.date == timezone.localdate()


def test_event_keeps_its_start_and_end(page, live_server, people, commune):
    from agenda.models import Event

    event = Event.objects.create(
        title="Rencontre co-construction territoriale",
        starts_at=paris(2030, 11, 29, 9, 30),
        ends_at=paris(2030, 11, 29, 17, 0),
        territory=commune,
        place="Orléans",
    )
    log_in(page, live_server, people["staff"])
    save_unchanged(
        page, f"{live_server.url}/agenda/moderation/{event.pk}/modifier/", "form.staff-form"
    )
    event.refresh_from_db()
    assert event.starts_at == paris(2030, 11, 29, 9, 30)
    assert event.ends_at == paris(2030, 11, 29, 17, 0)
    assert event.state == State.DRAFT
