"""Staff moderate: a proposal as a field-by-field diff, accepted whole, in part or corrected, or
refused with a reason mailed back; spam refused in bulk without a word; a new initiative shows
its possible duplicates first. Accepting writes through save_entry, so the history says how."""

import pytest
from django.contrib.auth.models import User
from django.core import mail
from django.urls import reverse

from contributions.models import Contribution, Kind, Status
from initiatives.models import Initiative


def pending(initiative, proposed, **extra):
    original = dict.fromkeys(proposed, "")
    return Contribution.objects.create(
        kind=Kind.CORRECTION if initiative else Kind.NEW,
        initiative=initiative,
        proposed=proposed,
        original=original,
        email="lea@exemple.org",
        name="Léa Passante",
        status=Status.PENDING,
        **extra,
    )


@pytest.fixture
def correction(initiative):
    return Contribution.objects.create(
        kind=Kind.CORRECTION,
        initiative=initiative,
        proposed={"summary": "Un lieu d’échanges sans argent.", "website": "https://spam.example"},
        original={"summary": initiative.summary, "website": initiative.website},
        email="lea@exemple.org",
        name="Léa Passante",
        status=Status.PENDING,
    )


def test_the_review_page_shows_each_field_old_and_new(client, staff, correction):
    client.force_login(staff)
    page = client.get(reverse("contributions:review", args=[correction.pk])).content.decode()
    assert "<del>Échanger plutôt qu’acheter, dans un écoquartier.</del>" in page
    assert "<ins>Un lieu d’échanges sans argent.</ins>" in page
    assert "<del>https://maison-echanges.example</del>" in page
    assert "<ins>https://spam.example</ins>" in page


def test_accepting_in_part_applies_the_ticked_fields_and_the_history_says_how(
    client, staff, initiative, correction, django_capture_on_commit_callbacks
):
    client.force_login(staff)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("contributions:review", args=[correction.pk]),
            {
                "decision": "accept",
                "accept_summary": "on",
                "summary": "Un lieu d’échanges sans argent.",
                "website": "https://spam.example",  # not ticked
            },
        )
    assert response.status_code == 302
    initiative.refresh_from_db()
    assert initiative.summary == "Un lieu d’échanges sans argent."
    assert initiative.website == "https://maison-echanges.example"
    correction.refresh_from_db()
    assert correction.status == Status.PARTIAL
    assert correction.accepted_fields == ["summary"]
    latest = initiative.history.latest()
    assert latest.history_change_reason == f"contribution:{correction.pk}"
    assert latest.history_user == staff
    (message,) = mail.outbox
    assert message.to == ["lea@exemple.org"] and "acceptée" in message.subject


def test_staff_may_correct_a_value_before_accepting_it(client, staff, initiative, correction):
    client.force_login(staff)
    response = client.post(
        reverse("contributions:review", args=[correction.pk]),
        {
            "decision": "accept",
            "accept_summary": "on",
            "summary": "Un lieu d’échanges, sans argent.",
        },
    )
    assert response.status_code == 302
    initiative.refresh_from_db()
    assert initiative.summary == "Un lieu d’échanges, sans argent."
    correction.refresh_from_db()
    assert correction.status == Status.PARTIAL  # not what was proposed, word for word


def test_accepting_everything_as_proposed_is_a_full_acceptance(client, staff, initiative):
    contribution = pending(initiative, {"contact_phone": "03 21 00 00 00"})
    client.force_login(staff)
    data = {"decision": "accept", "accept_contact_phone": "on", "contact_phone": "03 21 00 00 00"}
    client.post(reverse("contributions:review", args=[contribution.pk]), data)
    contribution.refresh_from_db()
    assert contribution.status == Status.ACCEPTED
    initiative.refresh_from_db()
    assert initiative.contact_phone == "03 21 00 00 00"


def test_refusing_mails_the_reason_and_changes_nothing(
    client, staff, initiative, correction, django_capture_on_commit_callbacks
):
    client.force_login(staff)
    reason = "Ce site n’a aucun rapport avec l’initiative."
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("contributions:review", args=[correction.pk]),
            {"decision": "refuse", "reason": reason},
        )
    assert response.status_code == 302
    correction.refresh_from_db()
    assert correction.status == Status.REFUSED and correction.reason == reason
    initiative.refresh_from_db()
    assert initiative.summary == "Échanger plutôt qu’acheter, dans un écoquartier."
    (message,) = mail.outbox
    assert message.to == ["lea@exemple.org"]
    assert reason in message.body
    # Decided once: a second decision is refused, not applied.
    again = client.post(
        reverse("contributions:review", args=[correction.pk]),
        {"decision": "accept", "accept_summary": "on", "summary": "x"},
    )
    assert again.status_code == 409
    assert "Cette proposition a déjà été traitée" in again.content.decode()
    initiative.refresh_from_db()
    assert initiative.summary == "Échanger plutôt qu’acheter, dans un écoquartier."


def test_bulk_spam_refuses_many_and_mails_nobody(
    client, staff, initiative, django_capture_on_commit_callbacks
):
    spam = [pending(initiative, {"summary": f"Casino {n}"}) for n in range(3)]
    kept = pending(initiative, {"summary": "Une vraie correction."})
    client.force_login(staff)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("contributions:bulk-spam"), {"contributions": [c.pk for c in spam]}
        )
    assert response.status_code == 302
    assert set(Contribution.objects.filter(status=Status.SPAM)) == set(spam)
    kept.refresh_from_db()
    assert kept.status == Status.PENDING
    assert mail.outbox == []
    queue = client.get(reverse("contributions:queue")).content.decode()
    assert "Casino" not in queue


def test_a_new_initiative_shows_its_possible_duplicates_and_is_created_on_acceptance(
    client, staff, initiative, places
):
    proposal = pending(
        None,
        {
            "name": "Maison des Échanges",
            "summary": "Le même lieu, proposé de nouveau.",
            "stage": "running",
            "territory": places["bruay"].pk,
        },
    )
    client.force_login(staff)
    page = client.get(reverse("contributions:review", args=[proposal.pk])).content.decode()
    assert 'data-testid="duplicates"' in page
    assert initiative.get_absolute_url() in page

    other = pending(
        None,
        {
            "name": "Garage solidaire d’Arras",
            "summary": "Réparer ensemble.",
            "stage": "running",
            "territory": places["arras"].pk,
        },
    )
    page = client.get(reverse("contributions:review", args=[other.pk])).content.decode()
    assert 'data-testid="duplicates"' not in page
    response = client.post(
        reverse("contributions:review", args=[other.pk]),
        {
            "decision": "accept",
            "publish": "on",
            **{f"accept_{name}": "on" for name in ("name", "summary", "stage", "territory")},
            "name": "Garage solidaire d’Arras",
            "summary": "Réparer ensemble.",
            "stage": "running",
            "territory": "Arras (62041, commune)",
        },
    )
    assert response.status_code == 302
    created = Initiative.objects.published().get(name="Garage solidaire d’Arras")
    assert created.territory == places["arras"]
    other.refresh_from_db()
    assert other.initiative == created and other.status == Status.ACCEPTED
    assert created.history.earliest().history_change_reason == f"contribution:{other.pk}"


@pytest.mark.parametrize(
    "data",
    [
        {"decision": "accept"},  # nothing ticked
        {"decision": "accept", "accept_summary": "on", "summary": "x" * 600},  # too long
        {"decision": "refuse", "reason": ""},
        {"decision": "peut-être"},
    ],
)
def test_malformed_decisions_answer_400(client, staff, initiative, correction, data):
    client.force_login(staff)
    response = client.post(reverse("contributions:review", args=[correction.pk]), data)
    assert response.status_code == 400
    correction.refresh_from_db()
    assert correction.status == Status.PENDING


def test_malformed_bulk_selection_answers_400(client, staff):
    client.force_login(staff)
    response = client.post(reverse("contributions:bulk-spam"), {"contributions": ["abc"]})
    assert response.status_code == 400
    assert client.post(reverse("contributions:bulk-spam"), {}).status_code == 400


def test_the_queue_is_for_staff_only(client, staff, correction):
    assert client.get(reverse("contributions:queue")).status_code == 302  # to sign in
    visitor = User.objects.create_user("visiteur", password="x")
    client.force_login(visitor)
    assert client.get(reverse("contributions:queue")).status_code == 403
    assert client.get(reverse("contributions:review", args=[correction.pk])).status_code == 403
    client.force_login(staff)
    page = client.get(reverse("contributions:queue")).content.decode()
    assert "Contributions à modérer" in page
    assert reverse("contributions:queue") in page  # in the staff's workspace menu


def test_a_new_initiative_that_cannot_be_published_is_not_created(client, staff, places):
    proposal = pending(
        None,
        {"name": "Épicerie", "summary": "Une épicerie.", "territory": places["arras"].pk},
    )
    client.force_login(staff)
    response = client.post(
        reverse("contributions:review", args=[proposal.pk]),
        {
            "decision": "accept",
            "publish": "on",
            "accept_name": "on",
            "name": "Épicerie",
            "accept_territory": "on",
            "territory": "Arras (62041, commune)",
            # the summary is not ticked: there is nothing to publish under it
        },
    )
    assert response.status_code == 400
    assert "Un résumé est nécessaire avant la publication." in response.content.decode()
    assert not Initiative.objects.filter(name="Épicerie").exists()
    proposal.refresh_from_db()
    assert proposal.status == Status.PENDING
