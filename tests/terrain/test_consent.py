"""Withdrawing consent takes the quote off the page, the search and the API in one step."""

from django.core import mail

from observatoire.search import search
from terrain import services


def test_withdrawn_consent_removes_quote_from_page_search_and_api(
    published, client, django_capture_on_commit_callbacks
):
    finding = published["finding"]
    url = finding.get_absolute_url()
    assert "se méfiaient" in client.get(url).content.decode()
    assert search("méfiaient").total == 1
    assert any("méfiaient" in q.text for q in finding.public_quotes())

    with django_capture_on_commit_callbacks(execute=True):
        services.withdraw_consent(published["helene_consent"], by=published["users"]["staff"])

    page = client.get(url).content.decode()
    assert "se méfiaient" not in page
    assert 'data-testid="quotes-removed"' in page
    assert search("méfiaient").total == 0
    quotes = finding.public_quotes()
    assert [q.removed for q in quotes] == [True, False]
    assert all("méfiaient" not in q.text for q in quotes)
    assert all("Hélène" not in q.text for q in quotes)  # her mention in Joël's quote too
    assert any("consent" in message.subject.lower() for message in mail.outbox)
