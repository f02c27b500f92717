"""The public proposes: a correction or a new initiative, confirmed by e-mail before staff see it;
robots are kept out by the honeypot and by each address's budget."""

import re

import pytest
from django.core import mail
from django.core.cache import cache
from django.urls import reverse

from contributions.models import Contribution, Status

LINK = re.compile(r"https?://\S+/contributions/confirmer/\S+/")


def correction_data(initiative, **changes):
    data = {
        "name": initiative.name,
        "summary": initiative.summary,
        "stage": initiative.stage,
        "territory": "Bruay-la-Buissière (62178, commune)",
        "website": initiative.website,
        "sender_name": "Léa Passante",
        "sender_email": "lea@exemple.org",
    }
    return data | changes


def send(client, url, data, capture, **extra):
    with capture(execute=True):
        return client.post(url, data, **extra)


def confirmation_link(message) -> str:
    return LINK.search(message.body).group(0).replace("http://testserver", "")


def test_a_correction_reaches_the_queue_only_once_its_sender_confirms(
    client, initiative, staff, django_capture_on_commit_callbacks
):
    url = reverse("contributions:correct", args=[initiative.slug])
    form = client.get(url).content.decode()
    assert 'value="Maison des échanges"' in form  # prefilled with the profile

    response = send(
        client,
        url,
        correction_data(initiative, summary="Un lieu d’échanges sans argent."),
        django_capture_on_commit_callbacks,
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("contributions:sent")
    contribution = Contribution.objects.get()
    assert contribution.status == Status.UNCONFIRMED
    # Only what changed is proposed, against what the profile said then.
    assert contribution.proposed == {"summary": "Un lieu d’échanges sans argent."}
    assert contribution.original == {"summary": "Échanger plutôt qu’acheter, dans un écoquartier."}
    (message,) = mail.outbox
    assert message.to == ["lea@exemple.org"]
    link = confirmation_link(message)

    client.force_login(staff)
    queue = client.get(reverse("contributions:queue")).content.decode()
    assert "Correction de Maison des échanges" not in queue
    client.logout()

    page = client.get(link)  # a mail scanner following the link changes nothing
    assert page.status_code == 200 and "Confirmer" in page.content.decode()
    assert Contribution.objects.get().status == Status.UNCONFIRMED
    assert client.post(link).status_code == 200
    assert Contribution.objects.get().status == Status.PENDING

    client.force_login(staff)
    queue = client.get(reverse("contributions:queue")).content.decode()
    assert "Correction de Maison des échanges" in queue


def test_the_honeypot_refuses_with_a_sentence_and_sends_nothing(
    client, initiative, django_capture_on_commit_callbacks
):
    url = reverse("contributions:correct", args=[initiative.slug])
    data = correction_data(initiative, summary="Achetez maintenant", homepage="http://spam.example")
    response = send(client, url, data, django_capture_on_commit_callbacks)
    assert response.status_code == 400
    assert "un champ qui doit rester vide a été rempli" in response.content.decode()
    assert not Contribution.objects.exists()
    assert mail.outbox == []


def test_each_address_has_a_budget_read_behind_the_trusted_proxy(
    client, settings, places, django_capture_on_commit_callbacks
):
    settings.CONTRIBUTION_RATE = "2/hour"
    settings.TRUSTED_PROXIES = 1
    for address in ("198.51.100.7", "198.51.100.8"):
        cache.delete(f"contributions:sent:{address}")
    url = reverse("contributions:propose")
    data = {
        "name": "Garage solidaire",
        "summary": "Réparer ensemble.",
        "stage": "running",
        "territory": "Arras (62041, commune)",
        "sender_email": "robot@exemple.org",
    }
    # The proxy appends the address it saw; what the client wrote to its left proves nothing.
    behind = {"HTTP_X_FORWARDED_FOR": "10.0.0.1, 198.51.100.7", "REMOTE_ADDR": "127.0.0.1"}
    for _ in range(2):
        assert (
            send(client, url, data, django_capture_on_commit_callbacks, **behind).status_code == 302
        )
    refused = send(client, url, data, django_capture_on_commit_callbacks, **behind)
    assert refused.status_code == 429
    assert (
        "Trop de propositions ont été envoyées depuis votre connexion" in refused.content.decode()
    )
    assert client.get(url, **behind).status_code == 429
    assert Contribution.objects.count() == 2 and len(mail.outbox) == 2

    # Changing the part the client writes does not buy a new budget; another real address has one.
    forged = {"HTTP_X_FORWARDED_FOR": "10.9.9.9, 198.51.100.7", "REMOTE_ADDR": "127.0.0.1"}
    assert client.get(url, **forged).status_code == 429
    other = {"HTTP_X_FORWARDED_FOR": "198.51.100.8", "REMOTE_ADDR": "127.0.0.1"}
    assert send(client, url, data, django_capture_on_commit_callbacks, **other).status_code == 302


@pytest.mark.parametrize(
    "changes, message",
    [
        ({"siret": "73282932000075"}, "«\u00a073282932000075\u00a0»"),  # a wrong check digit
        ({"website": "pas une adresse"}, ""),
        ({"territory": "Nullepart-sur-Mer"}, "Choisissez un territoire"),
        ({"sender_email": "pas-une-adresse"}, ""),
        ({}, "Vous n’avez rien changé"),
    ],
)
def test_malformed_corrections_are_refused_with_a_message(client, initiative, changes, message):
    url = reverse("contributions:correct", args=[initiative.slug])
    response = client.post(url, correction_data(initiative, **changes))
    assert response.status_code == 400
    page = response.content.decode()
    assert 'role="alert"' in page
    assert message in page
    assert not Contribution.objects.exists()


def test_bad_and_unknown_links_answer_4xx(client, initiative):
    assert client.get(reverse("contributions:confirm", args=["pas-un-jeton"])).status_code == 400
    assert client.post(reverse("contributions:confirm", args=["x:y:z"])).status_code == 400
    assert client.get(reverse("contributions:correct", args=["inconnue"])).status_code == 404


def test_only_published_profiles_take_corrections(client, initiative):
    initiative.state = "draft"
    initiative.save()
    assert client.get(reverse("contributions:correct", args=[initiative.slug])).status_code == 404


def test_profile_and_directory_link_to_the_forms(client, initiative):
    profile = client.get(initiative.get_absolute_url()).content.decode()
    assert reverse("contributions:correct", args=[initiative.slug]) in profile
    assert "Suggérer une correction" in profile and "C’est mon initiative" in profile
    directory = client.get(reverse("initiatives:list")).content.decode()
    assert "Proposer une initiative" in directory


def test_an_expired_link_says_so_and_the_unconfirmed_are_forgotten(
    client, settings, initiative, django_capture_on_commit_callbacks
):
    url = reverse("contributions:correct", args=[initiative.slug])
    data = correction_data(initiative, summary="Un résumé jamais confirmé.")
    send(client, url, data, django_capture_on_commit_callbacks)
    link = confirmation_link(mail.outbox[0])
    confirmed = send(
        client,
        url,
        correction_data(initiative, summary="Confirmé."),
        django_capture_on_commit_callbacks,
    )
    assert confirmed.status_code == 302
    client.post(confirmation_link(mail.outbox[1]))

    settings.CONTRIBUTION_CONFIRM_DAYS = -1  # every link is past its age
    response = client.post(link)
    assert response.status_code == 410
    assert "Ce lien de confirmation a expiré" in response.content.decode()
    assert Contribution.objects.filter(status=Status.UNCONFIRMED).count() == 1

    from contributions.tasks import purge_unconfirmed

    assert purge_unconfirmed() == 1
    (kept,) = Contribution.objects.all()
    assert kept.status == Status.PENDING and kept.proposed == {"summary": "Confirmé."}


def test_the_purge_runs_daily_as_a_registered_task(settings):
    from observatoire.celery import app

    app.loader.import_default_modules()
    names = [e["task"] for e in settings.CELERY_BEAT_SCHEDULE.values()]
    assert "contributions.tasks.purge_unconfirmed" in names
    assert "contributions.tasks.purge_unconfirmed" in app.tasks


def test_a_new_initiative_like_a_published_one_asks_first(
    client, initiative, django_capture_on_commit_callbacks
):
    url = reverse("contributions:propose")
    data = {
        "name": "Maison des Échanges",
        "summary": "Un lieu d’échanges.",
        "stage": "running",
        "territory": "Bruay-la-Buissière (62178, commune)",
        "sender_email": "lea@exemple.org",
    }
    asked = send(client, url, data, django_capture_on_commit_callbacks)
    assert asked.status_code == 200
    page = asked.content.decode()
    assert "Est-elle déjà dans l’annuaire\u00a0?" in page
    assert reverse("contributions:correct", args=[initiative.slug]) in page
    assert not Contribution.objects.exists() and mail.outbox == []

    sent = send(client, url, data | {"different": "on"}, django_capture_on_commit_callbacks)
    assert sent.status_code == 302
    (contribution,) = Contribution.objects.all()
    assert contribution.proposed["name"] == "Maison des Échanges"
    assert "website" not in contribution.proposed  # left empty: not proposed


def test_a_description_sent_back_with_crlf_lines_is_not_a_change(
    client, initiative, django_capture_on_commit_callbacks
):
    initiative.description = "Un lieu.\nDes échanges."
    initiative.save()
    url = reverse("contributions:correct", args=[initiative.slug])
    data = correction_data(
        initiative, description="Un lieu.\r\nDes échanges.", contact_phone="03 21 00 00 00"
    )
    assert send(client, url, data, django_capture_on_commit_callbacks).status_code == 302
    assert Contribution.objects.get().proposed == {"contact_phone": "03 21 00 00 00"}


def test_the_forms_speak_french_first_and_english_under_en(client, initiative):
    french = client.get(reverse("contributions:propose")).content.decode()
    assert "<h1>Proposer une initiative</h1>" in french and "Votre adresse e-mail" in french
    english = client.get("/en" + reverse("contributions:claim-initiative", args=[initiative.slug]))
    page = english.content.decode()
    assert english.status_code == 200
    assert "<h1>This is my initiative</h1>" in page and "Your role in the initiative" in page
