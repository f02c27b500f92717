"""Reads for the assessment pages and the profile's radar, each in a fixed number of queries."""

from collections import defaultdict

from django.db.models import OuterRef, Prefetch, Subquery

from initiatives.models import Organisation

from .models import Assessment, Criterion, CriterionLevel, Dimension, Score


def grid_dimensions(grid) -> list[Dimension]:
    """The grid's dimensions, each with its criteria, each with its levels (three queries)."""
    return list(
        grid.dimensions.prefetch_related(
            Prefetch(
                "criteria",
                queryset=Criterion.objects.prefetch_related(
                    Prefetch("levels", queryset=CriterionLevel.objects.order_by("value"))
                ),
            )
        )
    )


def _top_level():
    return Subquery(
        CriterionLevel.objects.filter(criterion=OuterRef("criterion"))
        .order_by("-value")
        .values("value")[:1]
    )


def _by_dimension(scores) -> list[dict]:
    """Per dimension, in the grid's order: mean level and mean top level of its scored criteria."""
    groups = defaultdict(list)
    names = {}
    for score in scores:
        dimension = score.criterion.dimension
        key = (dimension.position, dimension.pk)
        names[key] = dimension.name
        groups[key].append(score)
    rows = []
    for key in sorted(groups):
        scored = groups[key]
        rows.append(
            {
                "label": names[key],
                "value": round(sum(s.level.value for s in scored) / len(scored), 2),
                "max": round(sum(s.top or 0 for s in scored) / len(scored), 2),
                "count": len(scored),
            }
        )
    return rows


def published_radar(initiative) -> dict | None:
    """The latest published assessment of the initiative, by dimension; one query, hit or miss."""
    latest = (
        Assessment.objects.published()
        .filter(initiative=initiative)
        .order_by("-date", "-pk")
        .values("pk")[:1]
    )
    scores = list(
        Score.objects.filter(assessment=Subquery(latest))
        .select_related("assessment__grid", "criterion__dimension", "level")
        .annotate(top=_top_level())
    )
    if not scores:
        return None
    assessment = scores[0].assessment
    rows = _by_dimension(scores)
    return {
        "assessment": assessment,
        "grid": assessment.grid,
        "rows": rows,
        "scale": max((row["max"] for row in rows), default=0),
    }


def subject_filter(subject) -> dict:
    """The Assessment lookup for a subject: an initiative or a mission client organisation."""
    if isinstance(subject, Organisation):
        return {"organisation": subject}
    return {"initiative": subject}


def assessments_of(subject):
    return (
        Assessment.objects.filter(**subject_filter(subject))
        .select_related("grid", "assessor")
        .order_by("date", "pk")
    )


def progress(subject) -> list[dict]:
    """For each grid used on the subject: its assessments over time and a row per dimension.

    The subject is an initiative or an organisation. Each row holds the dimension's mean level
    in every assessment (None where not scored yet), oldest first, so that progress reads from
    left to right.
    """
    assessments = list(assessments_of(subject).prefetch_related("grid__dimensions"))
    scores = (
        Score.objects.filter(assessment__in=[a.pk for a in assessments])
        .select_related("criterion__dimension", "level")
        .annotate(top=_top_level())
    )
    by_assessment = defaultdict(list)
    for score in scores:
        by_assessment[score.assessment_id].append(score)
    grids = {}
    for assessment in assessments:
        grids.setdefault(assessment.grid_id, {"grid": assessment.grid, "assessments": []})
        grids[assessment.grid_id]["assessments"].append(assessment)
    tables = []
    for entry in grids.values():
        columns = entry["assessments"]
        cells = defaultdict(dict)
        for column in columns:
            for row in _by_dimension(by_assessment[column.pk]):
                cells[row["label"]][column.pk] = row
        dimensions = [d.name for d in entry["grid"].dimensions.all()]
        rows = [
            {"label": name, "cells": [cells[name].get(column.pk) for column in columns]}
            for name in dimensions
        ]
        tables.append({"grid": entry["grid"], "assessments": columns, "rows": rows})
    return tables
