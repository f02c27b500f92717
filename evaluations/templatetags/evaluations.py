"""`{% assessment_radar initiative %}`: the latest published assessment, as a radar and a table."""

from django import template

from .. import charts
from ..selectors import published_radar

register = template.Library()


@register.filter
def with_terms(rows):
    """`{{ radar.rows|with_terms|json_script:"…" }}`: the dimensions in the reader's language."""
    return charts.with_terms(rows)


@register.inclusion_tag("evaluations/_radar.html")
def assessment_radar(initiative):
    return {"radar": published_radar(initiative), "subject": initiative}
