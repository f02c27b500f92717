"""The fields of an initiative the public may propose, and how their values are kept as JSON.

A proposal stores plain JSON (a territory as its primary key); these functions turn a value of the
entry into JSON, JSON back into what `initiatives.services.save_entry` takes, and either into the
text a moderator reads in the diff.
"""

from django.utils.translation import gettext_lazy as _

from initiatives.models import Initiative
from territoires.fields import territory_label
from territoires.models import Territory

# In the order of the forms and of the diff.
FIELDS = (
    "name",
    "summary",
    "description",
    "stage",
    "territory",
    "address",
    "website",
    "contact_email",
    "contact_phone",
    "siret",
)
REQUIRED_FOR_NEW = ("name", "territory")


def label(name: str) -> str:
    return Initiative._meta.get_field(name).verbose_name


def to_json(name: str, value):
    """A form's or an entry's value as it is stored in a proposal."""
    if name == "territory":
        return value.pk if isinstance(value, Territory) else value
    # Browsers send a textarea's lines with CRLF: the same text must compare equal.
    return "" if value is None else str(value).replace("\r\n", "\n")


def of_entry(initiative) -> dict:
    """The entry's current values of every proposable field, as JSON."""
    return {name: to_json(name, getattr(initiative, name, None)) for name in FIELDS}


def from_json(name: str, value):
    """A stored value as save_entry takes it (None for a territory that no longer exists)."""
    if name == "territory":
        return Territory.objects.filter(pk=value).first() if value else None
    return value or ""


def shown(name: str, value) -> str:
    """A stored value as the moderator reads it."""
    if value in (None, ""):
        return ""
    if name == "territory":
        territory = Territory.objects.filter(pk=value).first()
        return territory_label(territory) if territory else _("(territory removed)")
    if name == "stage":
        field = Initiative._meta.get_field("stage")
        return str(dict(field.flatchoices).get(value, value))
    return str(value)
