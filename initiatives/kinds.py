"""The directory's kinds of entries as named in staff addresses (history, merge): name -> model."""

from .models import Initiative, Organisation, Person, Pole

KINDS = {"initiative": Initiative, "organisation": Organisation, "ptce": Pole, "personne": Person}


def kind_of(model) -> str:
    """The address name of a model ("ptce" for Pole)."""
    return next(name for name, kind in KINDS.items() if kind is model)
