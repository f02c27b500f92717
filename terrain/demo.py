"""Demo fieldwork from the seed texts: the first season of the Observatoire de l’Implicite.

A visit to the Maison des échanges of Bruay-la-Buissière, an interview with its coordinator (who
agreed to be quoted under her name), a short transcript, a codebook, a few excerpts and one
published finding; a second interview in blind double coding by the two demo researchers
(demo_agreement). Idempotent: everything is found or created by its natural key, so load_demo
may call it on every run; the `researcher` and `researcher2` demo accounts become members of the
season.
"""

import datetime as dt

from django.contrib.auth import get_user_model
from django.db import transaction

from initiatives.models import Initiative, Organisation, Person
from territoires.models import Level, Territory

from . import services
from .demo_agreement import load_double_coding
from .demo_recording import attach_recording
from .models import (
    Code,
    Consent,
    Excerpt,
    Finding,
    FindingExcerpt,
    FindingState,
    Interview,
    Interviewee,
    Naming,
    Season,
    Transcript,
    Visit,
)

RESEARCHER = "researcher"
SECOND_RESEARCHER = "researcher2"  # the other coder of the interview in blind double coding
SEASON_TITLE = "Observatoire de l’Implicite — saison 1"
ASKS = "Chercheuse"
SPEAKS = "Ophélie"

# (speaker, start in seconds, text): a short conversation written for the demo.
TURNS = [
    (ASKS, 0, "Merci de nous recevoir. Pouvez-vous présenter la Maison des échanges ?"),
    (SPEAKS, 6, "Ici, on n’achète pas : on échange, on donne, on valorise, on recycle. "
     "Les adhérents viennent avec un objet, un savoir ou un peu de temps."),
    (ASKS, 21, "Comment le lieu est-il né ?"),
    (SPEAKS, 25, "D’abord d’un constat fait ensemble avec les habitants de l’éco-quartier : "
     "beaucoup de choses dormaient dans les placards et beaucoup de gens restaient seuls."),
    (ASKS, 41, "Qui a participé à ce constat ?"),
    (SPEAKS, 44, "Les habitants, le bailleur, le centre social et la ville. Chacun est venu avec "
     "sa lecture du quartier, et on a posé un diagnostic partagé avant de décider quoi que ce "
     "soit."),
    (ASKS, 63, "Et la confiance, comment s’est-elle installée ?"),
    (SPEAKS, 67, "Par de petites choses tenues dans la durée. La confiance, ça ne se décrète "
     "pas : elle vient quand on fait ce qu’on a dit, semaine après semaine."),
    (ASKS, 82, "Qui décide, à la Maison ?"),
    (SPEAKS, 85, "Les adhérents. Pour moi, être innovant socialement, c’est donner la parole aux "
     "usagers et aux adhérents, et pas seulement leur demander leur avis à la fin."),
    (ASKS, 101, "Concrètement, comment se prennent les décisions ?"),
    (SPEAKS, 105, "Une assemblée ouverte chaque trimestre, et un petit groupe d’adhérents qui "
     "prépare les sujets avec moi. Je suis coordinatrice, pas cheffe."),
    (ASKS, 120, "Vous travaillez avec d’autres acteurs du territoire ?"),
    (SPEAKS, 124, "Oui, il faut coopérer avec l’ensemble des acteurs locaux. Souvent mon rôle, "
     "c’est de traduire : expliquer à la ville ce que vivent les habitants, et l’inverse."),
    (ASKS, 142, "Une forme de médiation, donc ?"),
    (SPEAKS, 145, "Exactement. Je fais le lien entre des mondes qui ne parlent pas la même "
     "langue, l’association, les services du Département, les entreprises du coin."),
    (ASKS, 161, "Le Département vous a reconnus comme projet d’innovation sociale."),
    (SPEAKS, 165, "Avec l’appel à manifestation d’initiative, oui. Ça nous a donné de la "
     "visibilité, et surtout l’occasion de nous former."),
    (ASKS, 178, "Que conseilleriez-vous à un territoire qui voudrait faire pareil ?"),
    (SPEAKS, 182, "De commencer par écouter, de prendre le temps du diagnostic avec les gens, "
     "et de mettre toute l’énergie positive qu’on a en nous dans le projet."),
]  # fmt: skip

CODES = [
    ("confiance", "#b35900", "Ce qui fait que les acteurs se fient les uns aux autres."),
    ("gouvernance", "#1f5fa8", "Qui décide, comment, et qui a la parole."),
    ("médiation", "#2e7d32", "Faire le lien et traduire entre des mondes différents."),
    ("diagnostic partagé", "#7b3fa0", "Un constat posé ensemble avant d’agir."),
]

# (segment index, passage, codes)
EXCERPTS = [
    (3, "D’abord d’un constat fait ensemble avec les habitants de l’éco-quartier",
     ["diagnostic partagé"]),
    (5, "on a posé un diagnostic partagé avant de décider quoi que ce soit",
     ["diagnostic partagé", "gouvernance"]),
    (7, "La confiance, ça ne se décrète pas : elle vient quand on fait ce qu’on a dit, "
     "semaine après semaine.", ["confiance"]),
    (9, "être innovant socialement, c’est donner la parole aux usagers et aux adhérents",
     ["gouvernance"]),
    (13, "Souvent mon rôle, c’est de traduire : expliquer à la ville ce que vivent les "
     "habitants, et l’inverse.", ["médiation"]),
    (15, "Je fais le lien entre des mondes qui ne parlent pas la même langue", ["médiation"]),
]  # fmt: skip

FINDING_SLUG = "la-confiance-se-construit-en-faisant-ce-quon-a-dit"
FINDING_QUOTES = [2, 0, 4]  # indexes in EXCERPTS, in the order the finding quotes them


def plain(text: str) -> str:
    """The text as an earlier demo typed it: straight apostrophes, plain spaces. Each character
    is replaced by one, so offsets into the text hold."""
    return text.replace("’", "'").replace("\u00a0", " ")


def demo_researcher(username=RESEARCHER):
    """A demo researcher: created here if the accounts are not made yet (load_demo sets its
    password and group right after the loaders), so that the order of the two does not matter."""
    User = get_user_model()
    user, _created = User.objects.get_or_create(**{User.USERNAME_FIELD: username})
    if _created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    return user


def _season(researcher) -> Season:
    # A demo loaded before its texts had French typography has the title typed plainly.
    earlier = Season.objects.filter(title=plain(SEASON_TITLE)).first()
    if earlier is not None:
        earlier.title = SEASON_TITLE
        earlier.save(update_fields=["title"])
    season, _created = Season.objects.get_or_create(
        title=SEASON_TITLE,
        defaults={
            "start_date": dt.date(2017, 9, 1),
            "end_date": dt.date(2018, 6, 30),
            "route": "Première saison d’itinérance : à la rencontre des personnes à l’origine "
            "d’initiatives innovantes de l’ESS, pour comprendre les rouages implicites de la "
            "coopération.",
        },
    )
    season.researchers.add(researcher)
    season.funders.add(
        *Organisation.objects.filter(slug__in=["credit-cooperatif", "inovane"]).order_by("pk")
    )
    return season


def _interview(season, researcher) -> Interview:
    visit, _created = Visit.objects.get_or_create(
        season=season,
        date=dt.date(2017, 11, 7),
        place="Maison des échanges, Bruay-la-Buissière",
        defaults={
            "territory": Territory.objects.filter(level=Level.COMMUNE, code="62178").first(),
            "notes": "Un lieu où l’on échange au lieu d’acheter, au cœur d’un éco-quartier.",
        },
    )
    visit.initiatives.add(*Initiative.objects.filter(slug="maison-des-echanges-bruay-la-buissiere"))
    interview, _created = Interview.objects.get_or_create(
        visit=visit,
        title="Entretien avec la coordinatrice de la Maison des échanges",
        defaults={"date": visit.date, "language": "fr", "duration": dt.timedelta(minutes=3)},
    )
    interview.interviewers.add(researcher)
    person, _created = Person.objects.get_or_create(
        slug="ophelie-langlais", defaults={"first_name": "Ophélie", "last_name": "Langlais"}
    )
    interviewee, _created = Interviewee.objects.get_or_create(
        interview=interview,
        person=person,
        defaults={"role": "coordinatrice", "speaker_label": SPEAKS},
    )
    Consent.objects.update_or_create(
        interviewee=interviewee,
        defaults={
            "recording_allowed": True,
            "quoting_allowed": True,
            "naming": Naming.NAMED,
            "publication_allowed": True,
            "signed_at": visit.date,
        },
    )
    return interview


def _transcript(interview):
    transcript, _created = Transcript.objects.get_or_create(
        interview=interview, defaults={"language": "fr", "source": "demo"}
    )
    starts = [start for _speaker, start, _text in TURNS] + [TURNS[-1][1] + 14]
    turns = [
        {"speaker": speaker, "start_ms": start * 1000, "end_ms": starts[n + 1] * 1000, "text": text}
        for n, (speaker, start, text) in enumerate(TURNS)
    ]
    retypeset(transcript, turns)
    return services.import_segments(transcript, turns)


def retypeset(transcript, turns) -> None:
    """Bring a transcript that an earlier demo typed plainly (straight apostrophes, plain spaces
    before : ; ? !) to these turns' typography, its excerpts' words with it. A coded transcript
    cannot be replaced, but this changes one character for one: every offset holds."""
    existing = list(transcript.segments.order_by("position"))
    if len(existing) != len(turns):
        return
    changed = False
    for segment, turn in zip(existing, turns, strict=True):
        if segment.text != turn["text"] and segment.text == plain(turn["text"]):
            segment.text = turn["text"]
            segment.save(update_fields=["text"])
            changed = True
    if changed:
        for excerpt in Excerpt.objects.filter(segment__transcript=transcript):
            excerpt.text = excerpt.text_of()
            excerpt.save(update_fields=["text"])


def _coding(season, segments, researcher):
    codes = {}
    for position, (name, colour, definition) in enumerate(CODES):
        codes[name], _created = Code.objects.get_or_create(
            season=season,
            name=name,
            defaults={"colour": colour, "definition": definition, "position": position},
        )
    excerpts = []
    for index, passage, names in EXCERPTS:
        segment = segments[index]
        start = segment.text.index(passage)
        excerpts.append(
            services.code_excerpt(
                segment,
                start,
                start + len(passage),
                [codes[name] for name in names],
                coder=researcher,
            )
        )
    return excerpts


def _finding(season, excerpts, researcher) -> Finding:
    finding, _created = Finding.objects.get_or_create(
        slug=FINDING_SLUG,
        defaults={
            "season": season,
            "title": "La confiance se construit en faisant ce qu’on a dit",
            "summary": "À la Maison des échanges, la confiance vient d’engagements tenus dans "
            "la durée, sur la base d’un constat posé ensemble avec les habitants.",
            "text": "Personne ne décrète la confiance : elle naît de petites promesses tenues "
            "semaine après semaine. Le diagnostic partagé avec les habitants, le bailleur, le "
            "centre social et la ville a donné à chacun une place avant toute décision ; la "
            "coordinatrice y tient un rôle de traductrice entre ces mondes.",
            "author": researcher,
            "sectoral_interaction": True,
            "cross_world_alliances": True,
        },
    )
    finding.initiatives.add(
        *Initiative.objects.filter(slug="maison-des-echanges-bruay-la-buissiere")
    )
    finding.themes.add("confiance", "diagnostic partagé")
    for position, index in enumerate(FINDING_QUOTES, start=1):
        FindingExcerpt.objects.get_or_create(
            finding=finding, excerpt=excerpts[index], defaults={"position": position}
        )
    if finding.state in (FindingState.DRAFT, FindingState.RETURNED):
        services.submit_finding(finding, by=researcher)
    if finding.state == FindingState.SUBMITTED:
        services.publish_finding(finding)
    return finding


@transaction.atomic
def load_demo_fieldwork() -> Season:
    """Load (or refresh) the demo season; a second run leaves the same rows."""
    researcher = demo_researcher()
    season = _season(researcher)
    interview = _interview(season, researcher)
    segments = _transcript(interview)
    attach_recording(interview, segments, SPEAKS, researcher)
    excerpts = _coding(season, segments, researcher)
    _finding(season, excerpts, researcher)
    second = demo_researcher(SECOND_RESEARCHER)
    season.researchers.add(second)
    load_double_coding(season, [researcher, second])
    return season
