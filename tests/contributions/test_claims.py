"""The person behind an initiative claims it; staff confirm; then they edit it directly, their edits
published at once or reviewed first, as staff decide for that initiative."""

import re

from django.contrib.auth.models import User
from django.core import mail
from django.urls import reverse

from contributions.models import Claim, Contribution, Status

LINK = re.compile(r"http://testserver(/\S+)")


def links(message) -> list[str]:
    return LINK.findall(message.body)


def test_a_claim_confirmed_and_accepted_gives_an_account_that_edits_under_review(
    client, staff, initiative, django_capture_on_commit_callbacks
):
    url = reverse("contributions:claim-initiative", args=[initiative.slug])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            url,
            {
                "sender_name": "Nadia Fondatrice",
                "sender_email": "nadia@maison-echanges.example",
                "role": "cofondatrice",
            },
        )
    assert response.status_code == 302
    (confirm_link,) = links(mail.outbox[0])
    client.post(confirm_link)
    claim = Claim.objects.get()
    assert claim.status == Status.PENDING

    client.force_login(staff)
    page = client.get(reverse("contributions:claim", args=[claim.pk])).content.decode()
    assert "cofondatrice" in page and "nadia@maison-echanges.example" in page
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("contributions:claim", args=[claim.pk]), {"decision": "accept"}
        )
    assert response.status_code == 302
    claim.refresh_from_db()
    holder = User.objects.get(email="nadia@maison-echanges.example")
    assert claim.status == Status.ACCEPTED and claim.user == holder
    assert not claim.publish_directly and not holder.has_usable_password()
    accepted = mail.outbox[-1]
    assert accepted.to == ["nadia@maison-echanges.example"]
    password_link = links(accepted)[0]
    edit_link = reverse("contributions:holder-edit", args=[initiative.slug])
    assert "/comptes/reset/" in password_link and edit_link in accepted.body

    # The new account chooses its password through the link.
    client.logout()
    form = client.get(password_link, follow=True)
    assert form.status_code == 200
    set_password = form.redirect_chain[-1][0]
    done = client.post(
        set_password, {"new_password1": "Echanges-2026!x", "new_password2": "Echanges-2026!x"}
    )
    assert done.status_code == 302
    holder.refresh_from_db()
    assert holder.check_password("Echanges-2026!x")

    # Edits go to review: the profile is unchanged until staff accept.
    client.force_login(holder)
    profile = client.get(initiative.get_absolute_url()).content.decode()
    assert edit_link in profile
    data = {
        "name": initiative.name,
        "summary": "Échanger sans argent, depuis 2019.",
        "stage": initiative.stage,
        "territory": "Bruay-la-Buissière (62178, commune)",
        "website": initiative.website,
    }
    assert client.post(edit_link, data).status_code == 302
    initiative.refresh_from_db()
    assert initiative.summary == "Échanger plutôt qu’acheter, dans un écoquartier."
    waiting = Contribution.objects.get(claim=claim)
    assert waiting.status == Status.PENDING
    assert waiting.proposed == {"summary": "Échanger sans argent, depuis 2019."}


def test_staff_let_a_holder_publish_at_once_and_the_history_names_the_claim(
    client, staff, initiative
):
    holder = User.objects.create_user("nadia", email="nadia@maison-echanges.example")
    claim = Claim.objects.create(
        initiative=initiative,
        role="coordinatrice",
        email=holder.email,
        name="Nadia",
        status=Status.ACCEPTED,
        user=holder,
    )
    client.force_login(staff)
    response = client.post(
        reverse("contributions:claim-setting", args=[claim.pk]), {"publish_directly": "on"}
    )
    assert response.status_code == 302
    claim.refresh_from_db()
    assert claim.publish_directly

    client.force_login(holder)
    data = {
        "name": initiative.name,
        "summary": initiative.summary,
        "stage": "consolidated",
        "territory": "Bruay-la-Buissière (62178, commune)",
        "website": initiative.website,
    }
    edit = reverse("contributions:holder-edit", args=[initiative.slug])
    assert client.post(edit, data).status_code == 302
    initiative.refresh_from_db()
    assert initiative.stage == "consolidated"
    latest = initiative.history.latest()
    assert latest.history_change_reason == f"claim:{claim.pk}"
    assert latest.history_user == holder
    assert not Contribution.objects.exists()

    # A bad value is refused with a message, not a 500.
    bad = client.post(edit, data | {"website": "pas un site", "stage": "running"})
    assert bad.status_code == 400


def test_without_an_accepted_claim_nobody_edits_directly(client, initiative):
    edit = reverse("contributions:holder-edit", args=[initiative.slug])
    assert client.get(edit).status_code == 302  # to sign in
    other = User.objects.create_user("autre", email="autre@exemple.org")
    Claim.objects.create(
        initiative=initiative, role="voisin", email=other.email, status=Status.PENDING, user=other
    )
    client.force_login(other)
    assert client.get(edit).status_code == 403


def test_a_refused_claim_mails_the_reason(
    client, staff, initiative, django_capture_on_commit_callbacks
):
    claim = Claim.objects.create(
        initiative=initiative, role="fan", email="fan@exemple.org", status=Status.PENDING
    )
    client.force_login(staff)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("contributions:claim", args=[claim.pk]),
            {"decision": "refuse", "reason": "Nous n’avons trouvé aucun lien avec l’initiative."},
        )
    claim.refresh_from_db()
    assert claim.status == Status.REFUSED
    (message,) = mail.outbox
    assert "Nous n’avons trouvé aucun lien avec l’initiative." in message.body
    assert not User.objects.filter(email="fan@exemple.org").exists()


def test_a_claim_decided_twice_is_refused_the_second_time(client, staff, initiative):
    claim = Claim.objects.create(
        initiative=initiative, role="fan", email="fan@exemple.org", status=Status.REFUSED
    )
    client.force_login(staff)
    response = client.post(reverse("contributions:claim", args=[claim.pk]), {"decision": "accept"})
    assert response.status_code == 409
    assert "déjà été traitée" in response.content.decode()
    assert not User.objects.filter(email="fan@exemple.org").exists()
    assert client.post(reverse("contributions:claim", args=[claim.pk]), {}).status_code == 400
