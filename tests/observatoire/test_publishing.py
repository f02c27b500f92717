"""Publishing: the services move the state, `published()` is the only public view of the rows."""

import pytest
from django.urls import reverse
from django.utils import translation

from initiatives.models import Initiative, Organisation, Person, Pole
from initiatives.services import PublicationError, publish, withdraw
from observatoire.publishing import State

pytestmark = pytest.mark.django_db


@pytest.fixture
def departement(territory_factory):
    Level = territory_factory.Level
    region = territory_factory(Level.REGION, "32", "Hauts-de-France")
    return territory_factory(Level.DEPARTEMENT, "59", "Nord", parent=region)


@pytest.fixture
def make(departement):
    """make(Model, name) -> a draft row of that model, complete enough to be published."""

    def build(model, name):
        slug = name.lower().replace(" ", "-")
        if model is Person:
            first, last = name.split(" ", 1)
            return Person.objects.create(first_name=first, last_name=last, slug=slug)
        extra = {"territory": departement}
        if model in (Initiative, Pole):
            extra["summary"] = f"{name}: a cooperation between neighbours."
        return model.objects.create(name=name, slug=slug, **extra)

    return build


PUBLIC_MODELS = [Initiative, Organisation, Pole, Person]
NAMES = {
    Initiative: ("Repair Cafe Lille", "Garden Share", "Old Bakery"),
    Organisation: ("Coop Nord", "Friends of Roubaix", "Old Guild"),
    Pole: ("PTCE Metropole", "PTCE Flandre", "PTCE Ancien"),
    Person: ("Claire Martin", "Paul Durand", "Anne Leroy"),
}


@pytest.mark.parametrize("model", PUBLIC_MODELS, ids=lambda m: m.__name__)
def test_a_new_row_is_a_draft_and_not_published(model, make):
    row = make(model, NAMES[model][0])
    assert row.state == State.DRAFT
    assert not row.is_published
    assert not model.objects.published().filter(pk=row.pk).exists()


@pytest.mark.parametrize("model", PUBLIC_MODELS, ids=lambda m: m.__name__)
def test_publish_makes_the_row_public_and_dates_it(model, make):
    row = make(model, NAMES[model][0])
    publish(row)
    row.refresh_from_db()
    assert row.state == State.PUBLISHED
    assert row.published_at is not None
    assert list(model.objects.published()) == [row]


@pytest.mark.parametrize("model", PUBLIC_MODELS, ids=lambda m: m.__name__)
def test_withdraw_takes_the_row_out_of_the_public_queryset(model, make):
    row = make(model, NAMES[model][0])
    publish(row)
    withdraw(row)
    row.refresh_from_db()
    assert row.state == State.WITHDRAWN
    assert not model.objects.published().exists()


@pytest.mark.parametrize("model", PUBLIC_MODELS, ids=lambda m: m.__name__)
def test_published_lists_only_published_rows_among_drafts_and_withdrawn(model, make):
    public_name, draft_name, withdrawn_name = NAMES[model]
    public = publish(make(model, public_name))
    make(model, draft_name)
    withdraw(publish(make(model, withdrawn_name)))
    assert list(model.objects.published()) == [public]
    assert model.objects.count() == 3


def test_publishing_twice_keeps_the_first_publication_date(make):
    initiative = publish(make(Initiative, "Repair Cafe Lille"))
    first = initiative.published_at
    publish(initiative)
    initiative.refresh_from_db()
    assert initiative.published_at == first


def test_publishing_an_initiative_without_summary_is_refused_with_a_sentence(departement):
    initiative = Initiative.objects.create(name="Blank", slug="blank", territory=departement)
    with translation.override("en"), pytest.raises(PublicationError) as refused:
        publish(initiative)
    message = str(refused.value)
    assert message[0].isupper() and message.endswith(".")
    assert "summary" in message
    initiative.refresh_from_db()
    assert initiative.state == State.DRAFT
    assert not Initiative.objects.published().exists()


def test_publishing_an_initiative_with_half_coordinates_is_refused(make):
    initiative = make(Initiative, "Repair Cafe Lille")
    initiative.latitude = 50.63
    initiative.save()
    with (
        translation.override("en"),
        pytest.raises(PublicationError, match="latitude and longitude"),
    ):
        publish(initiative)


@pytest.fixture
def changelist():
    return reverse("admin:initiatives_initiative_changelist")


def test_admin_action_publishes_the_selected_initiatives(admin_client, changelist, make):
    chosen = [make(Initiative, "Repair Cafe Lille"), make(Initiative, "Garden Share")]
    left = make(Initiative, "Old Bakery")
    response = admin_client.post(
        changelist,
        {"action": "publish_selected", "_selected_action": [i.pk for i in chosen]},
        follow=True,
    )
    assert response.status_code == 200
    assert set(Initiative.objects.published()) == set(chosen)
    left.refresh_from_db()
    assert left.state == State.DRAFT
    assert any("2" in str(m) for m in response.context["messages"])


def test_admin_action_reports_the_initiatives_it_could_not_publish(
    admin_client, changelist, make, departement
):
    ready = make(Initiative, "Repair Cafe Lille")
    blank = Initiative.objects.create(name="Blank", slug="blank", territory=departement)
    response = admin_client.post(
        changelist,
        {"action": "publish_selected", "_selected_action": [ready.pk, blank.pk]},
        follow=True,
    )
    assert list(Initiative.objects.published()) == [ready]
    errors = [str(m) for m in response.context["messages"] if m.level_tag == "error"]
    assert len(errors) == 1
    assert errors[0].startswith("Blank: ")


def test_admin_action_withdraws_the_selected_initiatives(admin_client, changelist, make):
    first = publish(make(Initiative, "Repair Cafe Lille"))
    kept = publish(make(Initiative, "Garden Share"))
    response = admin_client.post(
        changelist, {"action": "withdraw_selected", "_selected_action": [first.pk]}
    )
    assert response.status_code == 302
    first.refresh_from_db()
    assert first.state == State.WITHDRAWN
    assert list(Initiative.objects.published()) == [kept]


def test_admin_cannot_set_the_state_by_editing_the_form(admin_client, make):
    initiative = make(Initiative, "Repair Cafe Lille")
    change_url = reverse("admin:initiatives_initiative_change", args=[initiative.pk])
    form = admin_client.get(change_url).context["adminform"].form
    assert "state" not in form.fields
