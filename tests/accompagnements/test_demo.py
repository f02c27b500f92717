"""The demo missions from the seed texts load, twice without duplicates."""

from accompagnements.demo import load_demo_missions
from accompagnements.models import SupportMission
from accompagnements.services import funding_total
from agenda.models import Event


def test_demo_missions_load_once(db):
    load_demo_missions()
    load_demo_missions()
    assert SupportMission.objects.count() == 2
    mediator = SupportMission.objects.get(title__contains="médiateur")
    assert funding_total(mediator) == 30000
    adere = SupportMission.objects.get(title__contains="ADERE")
    backcasting = adere.workshops.get(method="backcasting")
    assert backcasting.target_year == 2032
    assert list(backcasting.milestones.values_list("year", flat=True)) == [2026, 2028, 2030]
    assert Event.objects.published().filter(uid__contains="cre-sol").count() == 1
