"""What contributions add to a profile (observatoire.panels): suggest a correction, claim it, or,
for its claim holder, edit it. Registered in apps.py."""

from observatoire import panels

from .services import holder_claim


def profile_links(initiative, request) -> dict:
    # Staff edit every profile from their own link; only other signed-in people may hold a
    # claim (one query for them, none for visitors and staff).
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or user.is_staff:
        return {"holder": None}
    return {"holder": holder_claim(user, initiative)}


def register() -> None:
    panels.register(
        "initiative",
        "contribute",
        profile_links,
        templates={"main": "contributions/_profile_links.html"},
        order=90,
    )
