"""The commune of an imported row, from what the file gives, with a sentence when it cannot be told.

In this order: an INSEE code; a postcode, with the commune's name when the postcode serves several
communes; a commune name alone when only one commune bears it; coordinates alone (the nearest
commune centre, within 30 km: the database holds no commune outlines). Where several communes
fit (a shared postcode, a common name) and coordinates are given, the nearest of them. The
communes are read once per run (about 35,000 small tuples for all of France), so that a row
costs no query.
"""

import math
import re
from collections import defaultdict

from django.utils.translation import gettext as _

from territoires.models import Level, PostalCode, Territory
from territoires.names import fold

CELL = 0.25  # degrees: the grid the nearest-centre search walks
MAX_KM = 30  # a point farther than this from every known commune centre is not placed


class Unplaced(Exception):
    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class Places:
    def __init__(self):
        self.by_code, self.by_name, self.name = {}, defaultdict(list), {}
        self.position = {}
        self.grid = defaultdict(list)
        communes = Territory.objects.filter(level=Level.COMMUNE).values_list(
            "pk",
            "code",
            "name",
            "search_name",
            "latitude",
            "longitude",
            "is_current",
            "replaced_by_id",
        )
        replaced = {}
        for pk, code, name, folded, lat, lng, current, successor in communes:
            if not current:
                replaced[code] = successor
                continue
            self.by_code[code] = pk
            self.by_name[folded].append(pk)
            self.name[pk] = name
            if lat is not None and lng is not None:
                self.position[pk] = (lat, lng)
                self.grid[_cell(lat, lng)].append(pk)
        for code, successor in replaced.items():
            if successor in self.name:
                self.by_code.setdefault(code, successor)
        self.postcodes = defaultdict(list)
        for code, pk in PostalCode.objects.filter(territory__is_current=True).values_list(
            "code", "territory_id"
        ):
            self.postcodes[code].append(pk)

    def find(self, *, insee="", postcode="", commune="", point=None) -> int:
        """The commune's primary key, or Unplaced with what the person should fix."""
        insee = insee.strip().upper()
        if insee:
            insee = insee.zfill(5) if insee.isdigit() else insee
            if insee in self.by_code:
                return self.by_code[insee]
            raise Unplaced(_("Unknown INSEE code “%(code)s”.") % {"code": insee})
        postcode = re.sub(r"\s", "", postcode)
        folded = fold(commune)
        if postcode:
            if postcode.isdigit() and len(postcode) == 4:  # a spreadsheet dropped the leading 0
                postcode = "0" + postcode
            served = self.postcodes.get(postcode, [])
            if not served:
                raise Unplaced(_("Unknown postcode “%(code)s”.") % {"code": postcode})
            if folded:
                named = [pk for pk in served if fold(self.name[pk]) == folded]
                if len(named) == 1:
                    return named[0]
                raise Unplaced(
                    _("Unknown commune “%(name)s” for postcode %(code)s (it serves %(names)s).")
                    % {"name": commune, "code": postcode, "names": self._names(served)}
                )
            if len(served) == 1:
                return served[0]
            if point:
                return self._nearest(point, served)
            raise Unplaced(
                _("Ambiguous postcode %(code)s: it serves %(names)s; give the commune.")
                % {"code": postcode, "names": self._names(served)}
            )
        if folded:
            named = self.by_name.get(folded, [])
            if len(named) == 1:
                return named[0]
            if named and point:
                return self._nearest(point, named)
            if named:
                raise Unplaced(
                    _("%(count)s communes are named “%(name)s”; give the postcode.")
                    % {"count": len(named), "name": commune}
                )
            raise Unplaced(_("Unknown commune “%(name)s”.") % {"name": commune})
        if point:
            return self._nearest(point)
        raise Unplaced(_("No place: give an INSEE code, a postcode (and commune), or coordinates."))

    def _names(self, pks) -> str:
        names = sorted(self.name[pk] for pk in pks)
        return ", ".join(names[:5]) + (", …" if len(names) > 5 else "")

    def _nearest(self, point, among=None) -> int:
        lat, lng = point
        if among is not None:
            placed = [pk for pk in among if pk in self.position]
        else:
            row, col = _cell(lat, lng)
            reach = math.ceil(MAX_KM / 111 / CELL) + 1
            placed = [
                pk
                for dr in range(-reach, reach + 1)
                for dc in range(-reach, reach + 1)
                for pk in self.grid.get((row + dr, col + dc), ())
            ]
        if not placed:
            if among:
                raise Unplaced(
                    _("Several communes fit (%(names)s) and none has a known position.")
                    % {"names": self._names(among)}
                )
            raise Unplaced(
                _("No commune centre is known within %(km)s km of %(lat)s, %(lng)s.")
                % {"km": MAX_KM, "lat": lat, "lng": lng}
            )
        best = min(placed, key=lambda pk: _km(point, self.position[pk]))
        if among is None and _km(point, self.position[best]) > MAX_KM:
            raise Unplaced(
                _("No commune centre is known within %(km)s km of %(lat)s, %(lng)s.")
                % {"km": MAX_KM, "lat": lat, "lng": lng}
            )
        return best


def _cell(lat: float, lng: float) -> tuple[int, int]:
    return math.floor(lat / CELL), math.floor(lng / CELL)


def _km(a, b) -> float:
    """Equirectangular distance: exact enough at the scale of a commune."""
    x = math.radians(b[1] - a[1]) * math.cos(math.radians((a[0] + b[0]) / 2))
    y = math.radians(b[0] - a[0])
    return 6371 * math.hypot(x, y)
