"""The project's URLs plus the floor: a plain view rendering a fixed template (bench settings only).

The floor goes through the same server, middleware, language prefix and base layout as the pages
it is compared with, but reads nothing from the database: what is left is the cost of Django itself.
"""

from django.conf.urls.i18n import i18n_patterns
from django.http import HttpResponse
from django.template import engines
from django.urls import path

from observatoire.urls import urlpatterns as project_urlpatterns

FLOOR = engines["django"].from_string(
    '{% extends "base.html" %}{% block content %}<h1>Floor</h1>'
    "<p>A fixed page: the same layout, no query.</p>{% endblock %}"
)


def floor(request):
    return HttpResponse(FLOOR.render({}, request))


TRANSCRIPT_FLOOR = engines["django"].from_string(
    '{% extends "base.html" %}{% block content %}<ol>{% for s in segments %}'
    '<li id="segment-{{ s.pk }}"><button type="button">{{ s.clock }}</button> {{ s.speaker }}'
    "<p>{{ s.text }}</p>{% for e in s.excerpts.all %}<q>{{ e.text }}</q>{% endfor %}</li>"
    "{% endfor %}</ol>{% endblock %}"
)


def transcript_floor(request, pk):
    """The floor of the transcript reader (bench/reader.py): the same rows, a plain view."""
    from django.db.models import Prefetch

    from terrain.models import Excerpt, Segment

    segments = (
        Segment.objects.filter(transcript_id=pk)
        .order_by("position")
        .prefetch_related(Prefetch("excerpts", queryset=Excerpt.objects.order_by("start")))
    )
    return HttpResponse(TRANSCRIPT_FLOOR.render({"segments": segments}, request))


urlpatterns = [
    *project_urlpatterns,
    *i18n_patterns(path("bench/floor/", floor, name="bench-floor"), prefix_default_language=False),
    path("bench/floor/transcript/<int:pk>/", transcript_floor, name="bench-transcript-floor"),
]
