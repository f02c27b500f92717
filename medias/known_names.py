"""Names the project already knows around a file, for the pseudonym suggestions.

The small French model finds "Ophélie" but misses "Langlais"; the app that owns the file fills
the gaps (the fieldwork: the interview's people, their organisations and consent pseudonyms).
"""

from .owners import known_names

__all__ = ["known_names"]
