"""A season's route as its page lists it: a page of visits, each with the initiatives met and its
interviews with the people interviewed.

Read as plain rows and grouped here: as prefetched model instances, each visit's and interview's
related managers built and filtered a queryset per row (Django does so for every prefetched
instance), and the 50 visits of a page took 40 ms of Python for 7 ms of SQL.
"""

from dataclasses import dataclass, field

from django.core.paginator import Paginator
from django.urls import reverse
from django.utils.translation import gettext as _

from .models import Interview, Interviewee, Visit

VISITS_PER_PAGE = 50
_PK = 2_147_483_647  # stands for an interview's id in its URL, reversed once a page


@dataclass
class ListedInterview:
    url: str
    label: str
    people: str  # the people interviewed, by name


@dataclass
class ListedVisit:
    visit: Visit
    initiatives: list[str] = field(default_factory=list)  # the names of the initiatives met
    interviews: list[ListedInterview] = field(default_factory=list)

    @property
    def pk(self):
        return self.visit.pk

    def __str__(self):
        return str(self.visit)


def visits_page(season, number):
    """The page `number` of the season's visits (a Paginator page of `ListedVisit`)."""
    visits = season.visits.select_related("territory").only(
        "season", "date", "place", "territory__name"
    )
    page = Paginator(visits, VISITS_PER_PAGE).get_page(number)
    listed = {visit.pk: ListedVisit(visit) for visit in page.object_list}
    met = (
        Visit.initiatives.through.objects.filter(visit_id__in=listed)
        .order_by("initiative__name", "initiative_id")
        .values_list("visit_id", "initiative__name")
    )
    for visit_id, name in met:
        listed[visit_id].initiatives.append(name)
    interviews = (
        Interview.objects.filter(visit_id__in=listed)
        .order_by("date", "pk")
        .values_list("pk", "visit_id", "title")
    )
    people = {}
    for interview_id, first_name, last_name in (
        Interviewee.objects.filter(interview__visit_id__in=listed)
        .order_by("pk")
        .values_list("interview_id", "person__first_name", "person__last_name")
    ):
        people.setdefault(interview_id, []).append(f"{first_name} {last_name}".strip())
    url = reverse("terrain:interview", kwargs={"season": season.pk, "pk": _PK})
    for pk, visit_id, title in interviews:
        listed[visit_id].interviews.append(
            ListedInterview(
                url.replace(str(_PK), str(pk)),
                title or _("Interview %(pk)s") % {"pk": pk},
                ", ".join(people.get(pk, [])),
            )
        )
    page.object_list = list(listed.values())
    return page
