"""A territory's cache scope (observatoire.cache): `"territory:d62"` names what its page lists.

Named by the parts of the materialised path ("r32/d62/c62178/" → r32, d62, c62178), so the apps
that place rows in territories touch a row's scopes from its territory's path alone, without
loading the ancestors; an EPCI, outside the path, by its own code.
"""

from .models import PATH_PREFIX, Level


def scope(territory) -> str:
    """The scope of one territory's page."""
    return f"territory:{PATH_PREFIX[territory.level]}{territory.code}"


def scopes(path: str, epci_code: str | None = None) -> list[str]:
    """The scopes of every territory holding a row placed at `path` (and in that EPCI)."""
    names = [f"territory:{part}" for part in path.split("/") if part]
    if epci_code:
        names.append(f"territory:{PATH_PREFIX[Level.EPCI]}{epci_code}")
    return names
