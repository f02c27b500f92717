"""One row of an import file made into the values of an initiative, or refused with a sentence.

`prepare(raw, mapping, places)` reads the mapped columns, checks them as the model would (lengths,
e-mail, website, SIREN/SIRET/RNA with identifiers.py) and finds the commune (places.py). Nothing is
read from or written to the database here, so a dry run refuses exactly what the import refuses.
"""

import re
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator, validate_email
from django.utils.translation import gettext as _

from ..identifiers import compact, validate_rna, validate_siren, validate_siret
from ..models import Initiative
from .places import Places, Unplaced

# Fields copied as they are onto the initiative (the others are read below).
PLAIN = ("name", "summary", "description", "contact_phone", "address")
THEME_SEPARATORS = re.compile(r"\s*[;|\n]\s*")


class Refused(Exception):
    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@dataclass
class Row:
    line: int
    source_id: str
    values: dict  # field -> value, for save_entry (themes as a list of names)
    siren: str = ""
    rna: str = ""
    organisation: str = ""
    raw: dict = field(default_factory=dict)


def prepare(line: int, raw: dict, mapping: dict, places: Places) -> Row:
    data = {}
    for column, target in mapping.items():
        text = str(raw.get(column, "")).strip()
        if target != "description":  # one line; a description keeps its paragraphs
            text = " ".join(text.split())
        if text:
            data[target] = text
    name = data.get("name", "")
    if not name:
        raise Refused(_("The name is missing."))
    values = {key: data[key] for key in PLAIN if key in data}
    for key, limit in (("name", 200), ("summary", 500), ("address", 300), ("contact_phone", 40)):
        if len(values.get(key, "")) > limit:
            if key == "summary":
                values[key] = values[key][: limit - 1].rstrip() + "…"
            else:
                raise Refused(
                    _("The %(field)s is longer than %(limit)s characters.")
                    % {"field": Initiative._meta.get_field(key).verbose_name, "limit": limit}
                )
    identifiers = {}
    for key, check in (("siren", validate_siren), ("siret", validate_siret), ("rna", validate_rna)):
        if key in data:
            try:
                check(data[key])
            except ValidationError as exc:
                raise Refused(exc.messages[0]) from None
            identifiers[key] = compact(data[key])
    if "siret" in identifiers:
        values["siret"] = identifiers["siret"]
    if "website" in data:
        values["website"] = _website(data["website"])
    if "contact_email" in data:
        email = data["contact_email"]
        try:
            validate_email(email)
        except ValidationError:
            raise Refused(_("“%(value)s” is not an e-mail address.") % {"value": email}) from None
        values["contact_email"] = email
    point = _point(data)
    if point:
        values["latitude"], values["longitude"] = point
    try:
        values["territory_id"] = places.find(
            insee=data.get("insee", ""),
            postcode=data.get("postcode", ""),
            commune=data.get("commune", ""),
            point=point,
        )
    except Unplaced as exc:
        raise Refused(exc.message) from None
    if "themes" in data:
        themes = THEME_SEPARATORS.split(data["themes"])
        if len(themes) == 1:
            themes = data["themes"].split(",")
        values["themes"] = sorted({t.strip()[:100] for t in themes if t.strip()})
    return Row(
        line=line,
        source_id=data.get("source_id", "")[:200],
        values=values,
        siren=identifiers.get("siren", ""),
        rna=identifiers.get("rna", ""),
        organisation=data.get("organisation", "")[:200],
        raw=raw,
    )


_url = URLValidator(schemes=["http", "https"])


def _website(text: str) -> str:
    url = text if re.match(r"^https?://", text, re.IGNORECASE) else f"https://{text}"
    try:
        _url(url)
    except ValidationError:
        raise Refused(_("“%(value)s” is not a web address.") % {"value": text}) from None
    if len(url) > 200:
        raise Refused(_("The website address is longer than 200 characters."))
    return url


def _number(text: str):
    try:
        return float(text.replace(",", ".").replace(" ", ""))
    except ValueError:
        return None


def _point(data: dict):
    if "latitude" not in data and "longitude" not in data:
        return None
    lat, lng = _number(data.get("latitude", "")), _number(data.get("longitude", ""))
    if lat is None or lng is None:
        raise Refused(_("Give both latitude and longitude as numbers, or neither."))
    if not (-90 <= lat <= 90 and -180 <= lng <= 180):
        raise Refused(
            _("%(lat)s, %(lng)s is not a position on Earth (latitude then longitude).")
            % {"lat": data["latitude"], "lng": data["longitude"]}
        )
    return lat, lng
