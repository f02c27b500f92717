"""`{% assessment_radar initiative %}`: the latest published assessment, as a radar and a table."""

from django import template

from ..selectors import published_radar

register = template.Library()


@register.inclusion_tag("evaluations/_radar.html")
def assessment_radar(initiative):
    return {"radar": published_radar(initiative), "subject": initiative}
