"""The fields a column may fill, and which column is which, guessed from its name (French or
English, GoGoCarto's keys included); the person corrects the guess and it is saved per source."""

from django.utils.translation import gettext_lazy as _

from territoires.names import fold

# field -> (label, names a column of that field goes by, folded: no accents, lower case)
FIELDS = {
    "source_id": (
        _("identifier at the source"),
        ["id", "identifiant", "identifier", "ref", "reference", "uid", "source id", "numero"],
    ),
    "name": (
        _("name"),
        [
            "nom",
            "name",
            "raison sociale",
            "denomination",
            "titre",
            "title",
            "intitule",
            "nom de l initiative",
            "initiative",
            "nom initiative",
            "libelle",
        ],
    ),
    "summary": (
        _("summary"),
        ["resume", "summary", "accroche", "description courte", "short description", "chapo"],
    ),
    "description": (
        _("description"),
        [
            "description",
            "presentation",
            "descriptif",
            "description longue",
            "long description",
            "description more",
            "commitment",
        ],
    ),
    "website": (
        _("website"),
        ["site", "site web", "site internet", "website", "web", "url", "site web url", "lien"],
    ),
    "contact_email": (
        _("contact e-mail"),
        ["email", "e mail", "courriel", "mail", "adresse email", "adresse mail", "contact email"],
    ),
    "contact_phone": (
        _("contact phone"),
        ["telephone", "tel", "phone", "numero de telephone", "portable", "mobile", "contact tel"],
    ),
    "address": (
        _("address"),
        [
            "adresse",
            "address",
            "street address",
            "streetaddress",
            "address streetaddress",
            "rue",
            "voie",
            "adresse postale",
        ],
    ),
    "postcode": (
        _("postcode"),
        [
            "code postal",
            "cp",
            "postcode",
            "postal code",
            "postalcode",
            "zip",
            "zipcode",
            "address postalcode",
            "codepostal",
        ],
    ),
    "commune": (
        _("commune"),
        [
            "commune",
            "ville",
            "city",
            "localite",
            "locality",
            "addresslocality",
            "town",
            "address addresslocality",
            "nom commune",
            "nom de la commune",
        ],
    ),
    "insee": (
        _("INSEE code of the commune"),
        [
            "insee",
            "code insee",
            "code commune",
            "citycode",
            "code officiel",
            "code insee commune",
            "cog",
            "com",
        ],
    ),
    "siren": (_("SIREN"), ["siren", "numero siren", "n siren"]),
    "siret": (_("SIRET"), ["siret", "numero siret", "n siret"]),
    "rna": (_("RNA number"), ["rna", "numero rna", "waldec", "n rna", "identifiant rna"]),
    "organisation": (
        _("carrying organisation"),
        [
            "structure",
            "structure porteuse",
            "porteur",
            "organisation",
            "organization",
            "organisme",
            "association",
            "porteur de projet",
        ],
    ),
    "latitude": (_("latitude"), ["latitude", "lat", "geo latitude", "y"]),
    "longitude": (_("longitude"), ["longitude", "lon", "lng", "long", "geo longitude", "x"]),
    "themes": (
        _("themes"),
        [
            "themes",
            "theme",
            "thematiques",
            "thematique",
            "categories",
            "categorie",
            "category",
            "tags",
            "mots cles",
            "secteur",
            "secteurs",
            "domaine",
            "domaines",
        ],
    ),
}

SYNONYMS = {name: field for field, (_label, names) in FIELDS.items() for name in names}


def choices():
    return [(field, label) for field, (label, _names) in FIELDS.items()]


def suggest(columns: list[str], saved: dict | None = None) -> dict:
    """Column -> field: the saved mapping for the columns it knows, a guess for the others.

    A field is given to one column at most, the first that claims it; a column whose name says
    nothing known is left out (ignored).
    """
    saved = saved or {}
    mapping, taken = {}, set()
    for column in columns:
        # "" in the saved mapping: the person chose to ignore that column.
        field = saved[column] if column in saved else _guess(column)
        if field in FIELDS and field not in taken:
            mapping[column] = field
            taken.add(field)
    return mapping


def _guess(column: str) -> str | None:
    folded = fold(column)
    if folded in SYNONYMS:
        return SYNONYMS[folded]
    # "geo.latitude", "Code postal du siège": the last word, then the first two, then the first.
    words = folded.split()
    for candidate in (words[-1:], words[:2], words[:1]):
        key = " ".join(candidate)
        if key in SYNONYMS and len(key) > 2:
            return SYNONYMS[key]
    return None


def clean(mapping: dict, columns: list[str]) -> dict:
    """A mapping as posted: only this file's columns and known fields, each field once."""
    result, taken = {}, set()
    for column in columns:
        field = mapping.get(column)
        if field in FIELDS and field not in taken:
            result[column] = field
            taken.add(field)
    return result
