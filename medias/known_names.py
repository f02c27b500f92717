"""Names the project already knows around a file: the interview's people and their organisations.

The small French model finds "Ophélie" but misses "Langlais"; these fill the gaps.
"""


def interview_of(owner):
    """The interview a file belongs to, directly or through its transcript; else None."""
    try:
        from terrain.models import Interview, Transcript
    except ImportError:
        return None
    if isinstance(owner, Transcript):
        return owner.interview
    if isinstance(owner, Interview):
        return owner
    return None


def known_names(owner) -> list[tuple[str, str, str]]:
    """[(name, label, pseudonym)]: PER for people, ORG for organisations; the pseudonym is the
    one the person's consent records ("" when none), which the suggestions keep."""
    interview = interview_of(owner)
    if interview is None:
        return []
    names = []
    people = interview.people.select_related("person", "consent").prefetch_related(
        "person__affiliations__organisation"
    )
    for interviewee in people:
        person = interviewee.person
        consent = getattr(interviewee, "consent", None)
        pseudonym = consent.pseudonym.strip() if consent and consent.naming == "pseudonym" else ""
        names.append((f"{person.first_name} {person.last_name}", "PER", pseudonym))
        names.extend(
            (affiliation.organisation.name, "ORG", "") for affiliation in person.affiliations.all()
        )
    return names
