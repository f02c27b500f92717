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


def known_names(owner) -> list[tuple[str, str]]:
    """[(name, label)] with label PER for people and ORG for organisations."""
    interview = interview_of(owner)
    if interview is None:
        return []
    names = []
    for interviewee in interview.people.select_related("person").prefetch_related(
        "person__affiliations__organisation"
    ):
        person = interviewee.person
        names.append((f"{person.first_name} {person.last_name}", "PER"))
        if interviewee.speaker_label:
            names.append((interviewee.speaker_label, "PER"))
        names.extend(
            (affiliation.organisation.name, "ORG") for affiliation in person.affiliations.all()
        )
    return names
