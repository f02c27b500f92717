"""Demo data for lists and maps: the actors of the seed texts, generated initiatives, accounts.

`load_demo()` is idempotent: every object is keyed by its slug (or natural key), and the
relations of demo objects (themes, roles, PTCE links, memberships, affiliations) are reset to
exactly what this module describes, so running it twice gives the same counts. Generated rows
that a run no longer describes (after a larger `--count`) are deleted; nothing else is.

The content is in French, like the real directory it imitates. The seed entities carry facts
from the seed texts only; generated entities are fictional, say so in their description, and
are never linked to a real organisation.
"""

from .loading import DEMO_ACCOUNTS, DemoResult, counts, create_accounts, load_demo
from .seeds import SEED_INITIATIVES, SEED_ORGANISATIONS, SEED_POLES
from .specs import DEFAULT_COUNT, DEFAULT_SEED, Commune, DemoError, _slug, generated_specs, of

__all__ = [
    "DEFAULT_COUNT",
    "DEFAULT_SEED",
    "DEMO_ACCOUNTS",
    "SEED_INITIATIVES",
    "SEED_ORGANISATIONS",
    "SEED_POLES",
    "Commune",
    "DemoError",
    "DemoResult",
    "_slug",
    "counts",
    "create_accounts",
    "generated_specs",
    "load_demo",
    "of",
]
