"""Staff correct a proposal from the moderation page; nobody else reaches that form."""

import pytest

from .conftest import paris

pytestmark = pytest.mark.django_db


def edit_url(event):
    return f"/agenda/moderation/{event.pk}/modifier/"


@pytest.mark.parametrize("who", [None, "partner", "researcher"])
def test_only_staff_reach_the_edit_form(client, users, events, who):
    if who:
        client.force_login(users[who])
    assert client.get(edit_url(events["draft"])).status_code in (302, 404)
    response = client.post(edit_url(events["draft"]), {"title": "Piraté"})
    assert response.status_code in (302, 404)
    events["draft"].refresh_from_db()
    assert events["draft"].title == "Proposition pas encore modérée"


def test_staff_correct_a_proposal_and_keep_its_themes(client, users, events):
    draft = events["draft"]
    draft.themes.add("coopération")
    client.force_login(users["staff"])
    page = client.get(edit_url(draft))
    assert page.status_code == 200
    html = page.content.decode()
    assert 'value="coopération"' in html
    assert f'value="{events["year"]}-05-01T10:00"' in html  # ISO, whatever the language
    response = client.post(
        edit_url(draft),
        {
            "title": "Rencontre des coopérations",
            "kind": draft.kind,
            "starts_at": f"{events['year']}-05-01T10:00",
            "themes": "coopération, territoires",
        },
    )
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.title == "Rencontre des coopérations"
    assert draft.starts_at == paris(events["year"], 5, 1, 10, 0)
    assert sorted(draft.themes.names()) == ["coopération", "territoires"]
    assert draft.state == "draft"


def test_an_end_before_the_start_is_refused_with_a_message(client, users, events):
    client.force_login(users["staff"])
    response = client.post(
        edit_url(events["draft"]),
        {
            "title": "Rencontre",
            "kind": events["draft"].kind,
            "starts_at": "2030-05-01T10:00",
            "ends_at": "2030-05-01T09:00",
        },
    )
    assert response.status_code == 400
    assert "ends_at" in response.context["form"].errors
