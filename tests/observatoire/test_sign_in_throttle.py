"""Sign-in throttling (django-axes): guessing stops, the person is told why and how to get back in.

The attack: thirty wrong passwords, then the right one. Before, the thirtieth-first try signed in.
"""

import re

import pytest
from django.contrib.auth.models import User

pytestmark = pytest.mark.django_db

PASSWORD = "Coop-Terrain-2024"
NEW_PASSWORD = "Nouveau-Chemin-7731"
LOGIN = "/comptes/login/"


@pytest.fixture
def member():
    return User.objects.create_user("claire", email="claire@example.org", password=PASSWORD)


def sign_in(client, password, username="claire", **extra):
    return client.post(LOGIN, {"username": username, "password": password}, **extra)


def test_thirty_wrong_passwords_then_the_right_one_is_refused_with_a_way_back(client, member):
    for i in range(30):
        sign_in(client, f"guess-{i}")
    response = sign_in(client, PASSWORD)
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session
    html = response.content.decode()
    assert "Trop de mots de passe erronés pour ce compte" in html
    assert "15\N{NO-BREAK SPACE}minutes" in html or "15 minutes" in html
    assert 'href="/comptes/password_reset/"' in html
    assert int(response["Retry-After"]) == 15 * 60


def test_the_lockout_page_speaks_english_under_en(client, member, settings):
    for i in range(settings.AXES_FAILURE_LIMIT):
        client.post("/en" + LOGIN, {"username": "claire", "password": f"guess-{i}"})
    response = client.post("/en" + LOGIN, {"username": "claire", "password": PASSWORD})
    assert response.status_code == 429
    html = response.content.decode()
    assert "Too many wrong passwords for this account" in html
    assert 'href="/en/comptes/password_reset/"' in html


def test_guesses_spread_over_many_addresses_still_lock_the_account(client, member, settings):
    for i in range(settings.AXES_FAILURE_LIMIT):
        sign_in(client, f"guess-{i}", REMOTE_ADDR=f"198.51.100.{i + 1}")
    assert sign_in(client, PASSWORD, REMOTE_ADDR="192.0.2.200").status_code == 429


def test_forged_forwarded_for_does_not_make_a_new_client(client, member, settings):
    settings.TRUSTED_PROXIES = 0
    for i in range(settings.AXES_FAILURE_LIMIT):
        sign_in(client, f"guess-{i}", HTTP_X_FORWARDED_FOR=f"203.0.113.{i}")
    response = sign_in(client, PASSWORD, HTTP_X_FORWARDED_FOR="203.0.113.250")
    assert response.status_code == 429


def test_a_few_mistakes_then_the_right_password_signs_in_and_starts_afresh(
    client, member, settings
):
    for i in range(settings.AXES_FAILURE_LIMIT - 1):
        sign_in(client, f"guess-{i}")
    assert sign_in(client, PASSWORD).status_code == 302
    client.logout()
    # The success cleared the count: as many mistakes again are still below the limit.
    for i in range(settings.AXES_FAILURE_LIMIT - 1):
        sign_in(client, f"again-{i}")
    assert sign_in(client, PASSWORD).status_code == 302


def test_another_account_is_not_locked_by_someone_elses_guesses(client, member, settings):
    User.objects.create_user("dominique", password=PASSWORD)
    for i in range(settings.AXES_FAILURE_LIMIT):
        sign_in(client, f"guess-{i}")
    assert sign_in(client, PASSWORD, username="dominique").status_code == 302


def test_choosing_a_new_password_by_email_lifts_the_lock(client, member, settings, mailoutbox):
    for i in range(settings.AXES_FAILURE_LIMIT):
        sign_in(client, f"guess-{i}")
    assert sign_in(client, PASSWORD).status_code == 429
    client.post("/comptes/password_reset/", {"email": "claire@example.org"})
    link = re.search(r"https?://testserver(/\S+)", mailoutbox[0].body).group(1)
    form_url = client.get(link, follow=True).redirect_chain[-1][0]
    done = client.post(form_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert done.status_code == 302
    assert sign_in(client, NEW_PASSWORD).status_code == 302
    assert client.session["_auth_user_id"] == str(member.pk)


@pytest.mark.parametrize(
    ("prefix", "subject"),
    [
        ("", "Choisir un nouveau mot de passe pour l’Observatoire des initiatives coopératives"),
        ("/en", "Choose a new password for the Observatory of cooperative initiatives"),
    ],
)
def test_password_reset_mail_has_a_subject_in_the_visitors_language(
    client, member, mailoutbox, prefix, subject
):
    client.post(prefix + "/comptes/password_reset/", {"email": "claire@example.org"})
    assert mailoutbox[0].subject == subject
