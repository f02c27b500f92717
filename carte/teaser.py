"""The home page's map teaser: metropolitan France as an SVG of counts per grid cell, no JavaScript.

One grouped query (the map's own clustering), cached for a few minutes: the home page stays cheap
whatever the number of initiatives.
"""

import math

from django.core.cache import cache

from initiatives.models import Initiative

from . import geo

# Metropolitan France and Corsica, in degrees; the drawing keeps the proportions at 46° N.
WEST, EAST, SOUTH, NORTH = -5.3, 9.8, 41.3, 51.2
WIDTH = 300
HEIGHT = round(WIDTH * (NORTH - SOUTH) / ((EAST - WEST) * math.cos(math.radians(46))))
CACHE_KEY = "carte:teaser"
CACHE_SECONDS = 300


def france_teaser() -> dict:
    """{"width", "height", "total", "dots": [{"x", "y", "r", "count"}]} for the template."""
    teaser = cache.get(CACHE_KEY)
    if teaser is None:
        teaser = _draw()
        cache.set(CACHE_KEY, teaser, CACHE_SECONDS)
    return teaser


def _draw() -> dict:
    inside = geo.located(Initiative.objects.published()).filter(
        longitude__gte=WEST, longitude__lte=EAST, latitude__gte=SOUTH, latitude__lte=NORTH
    )
    cells = geo.clusters(inside, zoom=6)
    largest = max((cell["properties"]["count"] for cell in cells), default=1)
    dots = []
    for cell in cells:
        longitude, latitude = cell["geometry"]["coordinates"]
        count = cell["properties"]["count"]
        dots.append(
            {
                "x": round((longitude - WEST) / (EAST - WEST) * WIDTH, 1),
                "y": round((NORTH - latitude) / (NORTH - SOUTH) * HEIGHT, 1),
                "r": round(2 + 8 * math.sqrt(count / largest), 1),
                "count": count,
            }
        )
    total = sum(dot["count"] for dot in dots)
    return {"width": WIDTH, "height": HEIGHT, "total": total, "dots": dots}
