"""A visitor suggests a correction of a published profile and confirms it from the e-mail; staff
see the diff in their queue and accept part of it; the profile shows what was accepted and not
what was refused, and the history records who accepted it and how ("contribution:N")."""

import re

import pytest
from django.core import mail

from contributions.models import Contribution, Status
from tests.contributions.conftest import initiative, places, staff  # noqa: F401 - fixtures

pytestmark = pytest.mark.browser

LINK = re.compile(r"https?://\S+/contributions/confirmer/\S+/")
NEW_SUMMARY = "Un lieu où l’on échange objets et savoir-faire, sans argent."
NEW_WEBSITE = "https://casino-en-ligne.example"


def test_a_visitor_correction_is_confirmed_then_accepted_in_part(
    page,
    live_server,
    initiative,  # noqa: F811
    staff,  # noqa: F811
    assert_accessible,
    screenshot,
):
    old_summary, old_website = initiative.summary, initiative.website

    # The visitor, on the profile, suggests a correction.
    page.goto(live_server.url + initiative.get_absolute_url())
    page.get_by_role("link", name="Suggérer une correction").click()
    page.get_by_role("heading", level=1, name="Suggérer une correction").wait_for()
    assert page.get_by_label("Résumé").input_value() == old_summary
    assert_accessible(page)
    screenshot(page, "contribution-form")
    page.get_by_label("Résumé").fill(NEW_SUMMARY)
    page.get_by_label("Site web").fill(NEW_WEBSITE)
    page.get_by_label("Votre nom").fill("Léa Passante")
    page.get_by_label("Votre adresse e-mail").fill("lea@exemple.org")
    page.get_by_role("button", name="Envoyer").click()
    page.get_by_role("heading", level=1, name="Consultez votre messagerie").wait_for()
    contribution = Contribution.objects.get()
    assert contribution.status == Status.UNCONFIRMED
    assert contribution.proposed == {"summary": NEW_SUMMARY, "website": NEW_WEBSITE}

    # The e-mail's link, then the button: only now does it reach the queue.
    (message,) = mail.outbox
    assert message.to == ["lea@exemple.org"]
    link = LINK.search(message.body).group(0)
    assert link.startswith(live_server.url)
    page.goto(link)
    page.get_by_role("button", name="Confirmer").click()
    page.get_by_test_id("confirmed").wait_for()
    contribution.refresh_from_db()
    assert contribution.status == Status.PENDING

    # Staff sign in and open the queue from their menu.
    page.goto(live_server.url + "/comptes/login/")
    page.fill("input[name=username]", "moderatrice")
    page.fill("input[name=password]", "Modere-2026!")
    page.locator("main form button[type=submit]").click()
    page.get_by_role("navigation", name="Vos espaces de travail").get_by_role(
        "link", name="Contributions"
    ).click()
    page.get_by_role("link", name="Correction de Maison des échanges").click()

    diff = page.get_by_test_id("diff")
    summary_row = diff.locator("tr[data-field=summary]")
    assert summary_row.locator("del").inner_text() == old_summary
    assert summary_row.locator("ins").inner_text() == NEW_SUMMARY
    website_row = diff.locator("tr[data-field=website]")
    assert website_row.locator("del").inner_text() == old_website
    assert website_row.locator("ins").inner_text() == NEW_WEBSITE
    assert_accessible(page)
    screenshot(page, "contribution-diff")

    # Accept the summary, not the website.
    page.get_by_label("Accepter « site web »").uncheck()
    assert page.get_by_label("Accepter « résumé »").is_checked()
    page.get_by_role("button", name="Accepter les champs cochés").click()
    page.get_by_role("heading", level=1, name="Contributions à modérer").wait_for()
    accepted = "Acceptée\u00a0: «\u00a0Maison des échanges\u00a0» est à jour."
    assert accepted in page.locator(".messages").inner_text()
    assert_accessible(page)

    # The profile, as the public sees it: the accepted summary, the old website.
    page.goto(live_server.url + initiative.get_absolute_url())
    profile = page.locator("main").inner_text()
    assert NEW_SUMMARY in profile
    assert old_summary not in profile
    assert "casino-en-ligne" not in profile
    assert page.get_by_role("link", name=old_website).count() == 1

    # The history: who accepted it, and how.
    contribution.refresh_from_db()
    assert contribution.status == Status.PARTIAL
    latest = initiative.history.latest()
    assert latest.history_user == staff
    assert latest.history_change_reason == f"contribution:{contribution.pk}"
    changed = {change.field for change in latest.diff_against(latest.prev_record).changes}
    assert changed == {"summary"}

    # Staff open the profile's history: the newest version says who accepted it and that it was
    # this contribution, the summary struck through and replaced.
    page.get_by_test_id("staff-history").click()
    newest = page.get_by_test_id("version").nth(0)
    assert newest.get_by_test_id("version-who").inner_text() == staff.get_full_name()
    assert (
        f"contribution n°\u00a0{contribution.pk}"
        in newest.get_by_test_id("version-how").inner_text()
    )
    assert newest.locator("del").all_inner_texts() == [old_summary]
    assert newest.locator("ins").all_inner_texts() == [NEW_SUMMARY]
    assert_accessible(page)

    # Restoring the version before the contribution brings the old summary back to the public.
    page.get_by_test_id("version").nth(1).get_by_role(
        "button", name="Restaurer cette version"
    ).click()
    page.get_by_text("a été restaurée").wait_for()
    assert "version n°" in page.get_by_test_id("version").nth(0).inner_text()
    page.goto(live_server.url + initiative.get_absolute_url())
    profile = page.locator("main").inner_text()
    assert old_summary in profile and NEW_SUMMARY not in profile
    initiative.refresh_from_db()
    assert initiative.summary == old_summary
    assert initiative.history.latest().history_change_reason.startswith("restore:")


def test_staff_refuse_spam_in_bulk_from_the_queue(
    page,
    live_server,
    initiative,  # noqa: F811
    staff,  # noqa: F811
    assert_accessible,
    screenshot,
):
    def proposal(summary):
        return Contribution.objects.create(
            kind="correction",
            initiative=initiative,
            proposed={"summary": summary},
            original={"summary": initiative.summary},
            email="robot@exemple.org",
            status=Status.PENDING,
        )

    spam = [proposal("Casino en ligne"), proposal("Pilules bon marché")]
    kept = proposal("Un lieu d’échanges sans argent.")
    page.goto(live_server.url + "/comptes/login/")
    page.fill("input[name=username]", "moderatrice")
    page.fill("input[name=password]", "Modere-2026!")
    page.locator("main form button[type=submit]").click()
    page.goto(live_server.url + "/contributions/moderation/")
    assert_accessible(page)
    screenshot(page, "contribution-queue")
    for item in spam:
        page.get_by_label(f"Sélectionner la proposition {item.pk}").check()
    page.get_by_role("button", name="Refuser la sélection comme indésirable").click()
    page.get_by_text("2 propositions refusées comme indésirables.").wait_for()
    assert page.get_by_test_id("proposals").locator("tbody tr").count() == 1
    assert {c.pk for c in Contribution.objects.filter(status=Status.SPAM)} == {s.pk for s in spam}
    kept.refresh_from_db()
    assert kept.status == Status.PENDING
    assert mail.outbox == []


def test_the_person_behind_an_initiative_claims_it_then_edits_it(
    page,
    live_server,
    initiative,  # noqa: F811
    staff,  # noqa: F811
    assert_accessible,
):
    # The claim, from the profile, confirmed from the e-mail.
    page.goto(live_server.url + initiative.get_absolute_url())
    page.get_by_role("link", name="C’est mon initiative").click()
    assert_accessible(page)
    page.get_by_label("Votre nom").fill("Nadia Fondatrice")
    page.get_by_label("Votre adresse e-mail").fill("nadia@maison-echanges.example")
    page.get_by_label("Votre rôle dans l’initiative").fill("cofondatrice")
    page.get_by_role("button", name="Envoyer ma demande").click()
    page.get_by_test_id("sent").wait_for()
    page.goto(LINK.search(mail.outbox[-1].body).group(0))
    page.get_by_role("button", name="Confirmer").click()
    page.get_by_test_id("confirmed").wait_for()

    # Staff accept it, the holder's edits published at once.
    page.goto(live_server.url + "/comptes/login/")
    page.fill("input[name=username]", "moderatrice")
    page.fill("input[name=password]", "Modere-2026!")
    page.locator("main form button[type=submit]").click()
    page.goto(live_server.url + "/contributions/moderation/")
    page.get_by_test_id("claims").get_by_role("link", name="Maison des échanges").click()
    assert_accessible(page)
    page.get_by_label("Ses modifications sont publiées tout de suite").check()
    page.get_by_role("button", name="Accepter la revendication").click()
    page.get_by_role("heading", level=1, name="Contributions à modérer").wait_for()
    page.get_by_role("button", name="Se déconnecter").click()

    # The holder chooses a password from the e-mail, signs in and edits the profile.
    accepted = mail.outbox[-1]
    assert accepted.to == ["nadia@maison-echanges.example"]
    password_link = re.search(r"https?://\S+/comptes/reset/\S+/", accepted.body).group(0)
    page.goto(password_link)
    page.fill("input[name=new_password1]", "Echanges-2026!x")
    page.fill("input[name=new_password2]", "Echanges-2026!x")
    page.locator("main form button[type=submit]").click()
    page.goto(live_server.url + "/comptes/login/")
    page.fill("input[name=username]", "nadia@maison-echanges.example")
    page.fill("input[name=password]", "Echanges-2026!x")
    page.locator("main form button[type=submit]").click()
    page.goto(live_server.url + initiative.get_absolute_url())
    page.get_by_role("link", name="Modifier la fiche de mon initiative").click()
    assert_accessible(page)
    page.fill("input[name=contact_phone]", "03 21 61 00 00")
    page.get_by_role("button", name="Enregistrer").click()
    page.get_by_text("Vos modifications sont publiées.").wait_for()

    initiative.refresh_from_db()
    assert initiative.contact_phone == "03 21 61 00 00"
    latest = initiative.history.latest()
    assert latest.history_user.email == "nadia@maison-echanges.example"
    assert latest.history_change_reason.startswith("claim:")


def test_a_visitor_proposes_a_new_initiative_from_an_empty_form(
    page,
    live_server,
    places,  # noqa: F811
):
    """The form opens empty (no database-default placeholder in its fields) and sends as typed."""
    page.goto(live_server.url + "/contributions/proposer/")
    for label in ("Courriel de contact", "Téléphone de contact", "SIRET", "Site web"):
        assert page.get_by_label(label).input_value() == "", label
    page.locator("#id_name").fill("Jardin partagé des Lilas")
    page.get_by_label("Résumé").fill("Un jardin ouvert à tous.")
    page.get_by_label("Commune ou territoire").press_sequentially("Arras")
    page.get_by_role("option", name=re.compile("Arras")).first.click()
    page.get_by_label("Votre adresse e-mail").fill("lea@exemple.org")
    page.get_by_role("button", name="Envoyer").click()
    page.get_by_role("heading", level=1, name="Consultez votre messagerie").wait_for()
    contribution = Contribution.objects.get()
    assert contribution.proposed["name"] == "Jardin partagé des Lilas"
    assert contribution.proposed["summary"] == "Un jardin ouvert à tous."
    assert contribution.proposed["territory"] == places["arras"].pk
    assert contribution.proposed.get("contact_email", "") == ""
    assert contribution.proposed.get("siret", "") == ""


def test_the_review_page_reads_well_for_a_correction_sent_without_a_name(
    page,
    live_server,
    initiative,  # noqa: F811
    staff,  # noqa: F811
):
    """The address is said once, the "Accept" heading is one word on one line, and the website's
    input is as wide as its neighbours."""
    page.goto(live_server.url + initiative.get_absolute_url())
    page.get_by_role("link", name="Suggérer une correction").click()
    page.get_by_label("Résumé").fill(NEW_SUMMARY)
    page.get_by_label("Site web").fill("https://maison.example.org")
    page.get_by_label("Votre adresse e-mail").fill("paul@exemple.org")
    page.get_by_role("button", name="Envoyer").click()
    page.get_by_role("heading", level=1, name="Consultez votre messagerie").wait_for()
    page.goto(LINK.search(mail.outbox[0].body).group(0))
    page.get_by_role("button", name="Confirmer").click()
    page.get_by_test_id("confirmed").wait_for()

    page.goto(live_server.url + "/comptes/login/")
    page.fill("input[name=username]", "moderatrice")
    page.fill("input[name=password]", "Modere-2026!")
    page.locator("main form button[type=submit]").click()
    page.get_by_role("navigation", name="Vos espaces de travail").get_by_role(
        "link", name="Contributions"
    ).click()
    page.get_by_role("link", name="Correction de Maison des échanges").click()

    sender = page.get_by_test_id("sender").inner_text()
    assert sender.startswith("Envoyée par paul@exemple.org le "), sender
    assert sender.count("paul@exemple.org") == 1

    headings = page.get_by_test_id("diff").locator("thead th")
    accept, field = headings.nth(0).bounding_box(), headings.nth(1).bounding_box()
    assert headings.nth(0).inner_text() == "Accepter"
    assert accept["height"] == field["height"]  # one line, like "Champ"
    summary = page.get_by_role("textbox", name="Résumé").bounding_box()
    website = page.get_by_role("textbox", name="Site web").bounding_box()
    assert website["height"] == summary["height"]


def test_an_accepted_proposal_is_pinned_at_its_commune(
    page,
    live_server,
    places,  # noqa: F811
    staff,  # noqa: F811
):
    """A visitor names a commune, not a point: once accepted, the profile shows it on the map at
    the commune's centre, as the staff form would have placed it."""
    arras = places["arras"]
    arras.latitude, arras.longitude = 50.2910, 2.7775
    arras.save(update_fields=["latitude", "longitude"])
    page.goto(live_server.url + "/contributions/proposer/")
    page.locator("#id_name").fill("Jardin partagé des Lilas")
    page.get_by_label("Résumé").fill("Un jardin ouvert à tous.")
    page.get_by_label("Commune ou territoire").press_sequentially("Arras")
    page.get_by_role("option", name=re.compile("Arras")).first.click()
    page.get_by_label("Votre adresse e-mail").fill("lea@exemple.org")
    page.get_by_role("button", name="Envoyer").click()
    page.get_by_role("heading", level=1, name="Consultez votre messagerie").wait_for()
    page.goto(LINK.search(mail.outbox[0].body).group(0))
    page.get_by_role("button", name="Confirmer").click()
    page.get_by_test_id("confirmed").wait_for()

    page.goto(live_server.url + "/comptes/login/")
    page.fill("input[name=username]", "moderatrice")
    page.fill("input[name=password]", "Modere-2026!")
    page.locator("main form button[type=submit]").click()
    page.get_by_role("navigation", name="Vos espaces de travail").get_by_role(
        "link", name="Contributions"
    ).click()
    page.get_by_role("link", name="Nouvelle initiative\u00a0: Jardin partagé des Lilas").click()
    page.get_by_role("button", name="Accepter les champs cochés").click()
    page.get_by_role("heading", level=1, name="Contributions à modérer").wait_for()

    page.goto(live_server.url + "/initiatives/jardin-partage-des-lilas/")
    pin = page.locator("#profile-map")
    assert float(pin.get_attribute("data-lat")) == 50.2910
    assert float(pin.get_attribute("data-lng")) == 2.7775
