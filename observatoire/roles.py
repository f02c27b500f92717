"""The roles (partner, researcher, staff) as Django groups, kept in sync with their permissions."""

from django.contrib.auth.models import Group, Permission

PARTNER, RESEARCHER, STAFF = "partner", "researcher", "staff"

# app_label -> model names; each role gets the listed actions on them. Later apps add theirs here.
_DIRECTORY = {
    "initiatives": [
        "initiative",
        "organisation",
        "person",
        "role",
        "affiliation",
        "pole",
        "polemembership",
        "callforinterest",
    ],
    "territoires": ["territory"],
    # Fieldwork; the access log and erasure records are read by staff only (is_staff pages).
    "terrain": [
        "season",
        "visit",
        "interview",
        "interviewee",
        "consent",
        "transcript",
        "segment",
        "code",
        "excerpt",
        "audioexcerpt",
        "codebookversion",
        "memo",
        "finding",
        "findingexcerpt",
    ],
}

# What each role may do on the directory; researchers describe what they meet but do not delete.
ACTIONS = {
    PARTNER: set(),
    RESEARCHER: {"view", "add", "change"},
    STAFF: {"view", "add", "change", "delete"},
}
READ_ONLY_FOR_RESEARCHERS = {"territoires"}


_ALL = {"view", "add", "change", "delete"}
_GRID = ["grid", "dimension", "criterion", "criterionlevel"]
# Apps with rules of their own: app -> role -> {model: actions}. Missions are staff-only; partners
# propose events that staff moderate; staff define grids, staff and researchers assess.
OWN_RULES = {
    "accompagnements": {
        STAFF: dict.fromkeys(
            ["supportmission", "funding", "workshop", "workshopparticipant"]
            + ["metaplancluster", "metaplancard", "backcastingmilestone", "backcastingstep"]
            + ["deliverable", "deliverableversion"],
            _ALL,
        )
    },
    "agenda": {PARTNER: {"event": {"add"}}, STAFF: {"event": _ALL}},
    # Partners read publications (their files are served by the app's own rules); staff do all.
    "publications": {
        PARTNER: {"publication": {"view"}},
        STAFF: dict.fromkeys(
            ["publication", "publicationfile", "partneraccount", "apitoken", "download"], _ALL
        ),
    },
    # Researchers upload and watch their files and decide on pseudonyms; staff do everything.
    "medias": {
        RESEARCHER: {"mediafile": {"view", "add"}, "processingjob": {"view"}}
        | {"derivedfile": {"view"}, "pseudonymsuggestion": {"view", "change"}},
        STAFF: dict.fromkeys(
            ["mediafile", "processingjob", "derivedfile", "pseudonymsuggestion"], _ALL
        ),
    },
    "evaluations": {
        RESEARCHER: dict.fromkeys(_GRID, {"view"})
        | dict.fromkeys(["assessment", "score"], {"view", "add", "change"}),
        # Researchers submit assessments; staff review them: publish and withdraw.
        STAFF: dict.fromkeys([*_GRID, "score"], _ALL) | {"assessment": _ALL | {"review"}},
    },
}


def own_permissions(role: str) -> set[tuple[str, str]]:
    return {
        (app, f"{action}_{model}")
        for app, rules in OWN_RULES.items()
        for model, actions in rules.get(role, {}).items()
        for action in actions
    }


def permissions_for(role: str) -> set[tuple[str, str]]:
    """(app_label, codename) pairs that a role holds."""
    return own_permissions(role) | {
        (app, f"{action}_{model}")
        for app, models in _DIRECTORY.items()
        for model in models
        for action in ACTIONS[role]
        if not (role == RESEARCHER and app in READ_ONLY_FOR_RESEARCHERS and action != "view")
    }


def sync_roles(sender=None, **kwargs):
    """Create the groups and give them exactly their permissions (run after every migrate)."""
    # post_migrate comes once per app, after that app's permissions are created; the call for the
    # last app of _DIRECTORY therefore sees them all, and the other apps need no call.
    if sender is not None and sender.label not in _DIRECTORY | OWN_RULES.keys():
        return
    for role in (PARTNER, RESEARCHER, STAFF):
        group, _ = Group.objects.get_or_create(name=role)
        wanted = permissions_for(role)
        perms = [
            p
            for p in Permission.objects.select_related("content_type").filter(
                content_type__app_label__in={app for app, _ in wanted} or {""}
            )
            if (p.content_type.app_label, p.codename) in wanted
        ]
        group.permissions.set(perms)
