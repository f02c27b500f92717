"""Accounts: log in, log out, and reset a forgotten password by e-mail, in French and English."""

import re

import pytest
from django.contrib.auth.models import User
from django.http import HttpRequest

pytestmark = pytest.mark.django_db

PASSWORD = "Coop-Terrain-2024"
NEW_PASSWORD = "Nouveau-Chemin-7731"


@pytest.fixture
def member():
    return User.objects.create_user("claire", email="claire@example.org", password=PASSWORD)


def test_login_page_renders_in_french_at_the_root(client):
    response = client.get("/comptes/login/")
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="fr">' in html
    assert "Mot de passe" in html
    assert 'name="username"' in html


def test_login_page_renders_in_english_under_en(client):
    response = client.get("/en/comptes/login/")
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="en">' in html
    assert "Password" in html
    assert "/en/comptes/password_reset/" in html


def test_login_with_the_right_password_signs_the_user_in(client, member):
    response = client.post("/comptes/login/", {"username": "claire", "password": PASSWORD})
    assert response.status_code == 302
    # Each role lands where its work is; someone with no role on the home page.
    assert response["Location"] == "/"
    assert client.session["_auth_user_id"] == str(member.pk)


def test_login_honours_a_safe_next_url(client, member):
    response = client.post(
        "/comptes/login/",
        {"username": "claire", "password": PASSWORD, "next": "/territoires/"},
    )
    assert response["Location"] == "/territoires/"


def test_login_with_a_wrong_password_shows_the_error_on_the_page(client, member):
    response = client.post("/comptes/login/", {"username": "claire", "password": "wrong"})
    assert response.status_code == 200
    assert response.context["form"].errors
    assert 'role="alert"' in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_logout_by_post_signs_the_user_out(client, member):
    client.force_login(member)
    response = client.post("/comptes/logout/")
    assert response.status_code == 302
    assert response["Location"] == "/"
    assert "_auth_user_id" not in client.session


def test_logout_by_get_is_refused_and_keeps_the_session(client, member):
    client.force_login(member)
    assert client.get("/comptes/logout/").status_code == 405
    assert client.session["_auth_user_id"] == str(member.pk)


def test_password_reset_by_email_lets_the_user_choose_a_new_password(client, member, mailoutbox):
    response = client.post("/comptes/password_reset/", {"email": "claire@example.org"})
    assert response.status_code == 302
    assert response["Location"] == "/comptes/password_reset/done/"
    assert len(mailoutbox) == 1
    mail = mailoutbox[0]
    assert mail.to == ["claire@example.org"]
    link = re.search(r"https?://testserver(/\S+)", mail.body).group(1)

    # The link from the e-mail swaps the token for a session and shows the form.
    response = client.get(link, follow=True)
    assert response.status_code == 200
    assert response.context["validlink"] is True
    form_url = response.redirect_chain[-1][0]
    assert form_url.endswith("/set-password/")

    response = client.post(form_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == "/comptes/reset/done/"
    assert client.get("/comptes/reset/done/").status_code == 200

    member.refresh_from_db()
    assert member.check_password(NEW_PASSWORD)
    client.logout()
    # django-axes checks every sign-in against its lockouts: it needs the request.
    assert client.login(request=HttpRequest(), username="claire", password=NEW_PASSWORD)
    assert not User.objects.get(pk=member.pk).check_password(PASSWORD)

    # The link works once: used again it says so instead of showing the form.
    client.logout()
    response = client.get(link, follow=True)
    assert response.context["validlink"] is False


def test_password_reset_for_an_unknown_address_sends_nothing_and_reveals_nothing(
    client, mailoutbox
):
    response = client.post("/comptes/password_reset/", {"email": "nobody@example.org"})
    assert response.status_code == 302
    assert response["Location"] == "/comptes/password_reset/done/"
    assert mailoutbox == []


def test_password_reset_mail_asked_in_english_links_to_the_english_form(client, member, mailoutbox):
    client.post("/en/comptes/password_reset/", {"email": "claire@example.org"})
    link = re.search(r"https?://testserver(/\S+)", mailoutbox[0].body).group(1)
    assert link.startswith("/en/comptes/reset/")
    assert client.get(link, follow=True).context["validlink"] is True
