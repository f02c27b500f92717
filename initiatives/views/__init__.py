"""Public views of the directory, one module per kind of page."""

from .actors import organisation_detail, pole_detail, pole_list
from .directory import initiative_detail, initiative_list

__all__ = [
    "initiative_detail",
    "initiative_list",
    "organisation_detail",
    "pole_detail",
    "pole_list",
]
