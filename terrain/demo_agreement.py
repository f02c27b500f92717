"""The demo's interview in blind double coding: Line Simon of the cooperative Ésope, about the
Occitània creativa collective, coded by the two demo researchers without seeing each other's
codes, both declared done. They agree on some passages (settled as the reference at once) and not
on others: one disagreement is settled (the second coder's coding kept), the others wait in the
disagreement view. Idempotent, as the rest of the demo fieldwork (terrain/demo.py).
"""

import datetime as dt

from initiatives.models import Initiative, Person
from territoires.models import Level, Territory

from . import services
from .models import (
    Code,
    Consent,
    DoubleCoding,
    Interview,
    Interviewee,
    Naming,
    Settlement,
    Transcript,
    Visit,
)
from .services import agreement

ASKS = "Chercheuse"
SPEAKS = "Line"
INTERVIEW_TITLE = "Entretien avec Line Simon, consultante d’Ésope"

# (speaker, start in seconds, text)
TURNS = [
    (ASKS, 0, "Comment est né le collectif Occitània creativa ?"),
    (SPEAKS, 5, "De dix-huit entrepreneurs qui se connaissaient à peine. Avant de coopérer dans "
     "l’opérationnel, nous avons pris six mois pour partager nos enjeux : ce qui est "
     "compliqué seul l’est beaucoup moins à plusieurs."),
    (ASKS, 24, "Comment avez-vous travaillé ensemble au début ?"),
    (SPEAKS, 28, "Par un diagnostic partagé, au métaplan : chacun écrit ce qu’il vit, on affiche "
     "tout au mur, et le groupe range les cartes ensemble. Personne ne repart avec le "
     "diagnostic d’un autre."),
    (ASKS, 48, "Et François Lagorce et vous, quel est votre rôle ?"),
    (SPEAKS, 52, "Nous travaillons en binôme. L’un anime, l’autre écoute et reformule ; souvent "
     "je traduis ce que dit un artisan pour un élu, et l’inverse."),
    (ASKS, 70, "Qui prend les décisions dans le collectif ?"),
    (SPEAKS, 74, "Un comité de cinq membres, renouvelé chaque année par tirage au sort parmi les "
     "volontaires. Les grandes orientations passent par l’assemblée des dix-huit."),
    (ASKS, 92, "La confiance entre les membres est-elle venue vite ?"),
    (SPEAKS, 96, "Non. Elle est venue quand les premiers contrats ont été partagés "
     "équitablement, et quand on a vu que le comité rendait des comptes."),
    (ASKS, 112, "Que retenez-vous de ces deux années ?"),
    (SPEAKS, 116, "Qu’il faut du temps pour se comprendre avant d’agir, et quelqu’un qui fasse le "
     "lien entre des gens qui ne parlent pas le même langage."),
]  # fmt: skip

# Each coder's excerpts: (segment index, passage, codes). The first coder's, then the second's.
CODINGS = [
    [
        (1, "nous avons pris six mois pour partager nos enjeux", ["diagnostic partagé"]),
        (3, "Par un diagnostic partagé, au métaplan", ["diagnostic partagé"]),
        (5, "souvent je traduis ce que dit un artisan pour un élu, et l’inverse.", ["médiation"]),
        (7, "Un comité de cinq membres, renouvelé chaque année par tirage au sort parmi les "
         "volontaires.", ["gouvernance"]),
        (9, "Elle est venue quand les premiers contrats ont été partagés équitablement",
         ["confiance"]),
        (11, "quelqu’un qui fasse le lien entre des gens qui ne parlent pas le même langage",
         ["médiation"]),
    ],
    [
        (3, "Par un diagnostic partagé, au métaplan", ["diagnostic partagé"]),
        (5, "Nous travaillons en binôme. L’un anime, l’autre écoute et reformule ; souvent je "
         "traduis ce que dit un artisan pour un élu, et l’inverse.", ["médiation"]),
        (7, "Un comité de cinq membres, renouvelé chaque année par tirage au sort parmi les "
         "volontaires.", ["gouvernance"]),
        (9, "Elle est venue quand les premiers contrats ont été partagés équitablement, et "
         "quand on a vu que le comité rendait des comptes.", ["confiance", "gouvernance"]),
        (11, "quelqu’un qui fasse le lien entre des gens qui ne parlent pas le même langage",
         ["médiation"]),
    ],
]  # fmt: skip
SETTLED = 9  # the turn whose disagreement the team has settled: the second coder's kept


def _interview(season, interviewer) -> Interview:
    visit, _created = Visit.objects.get_or_create(
        season=season,
        date=dt.date(2018, 3, 14),
        place="Coopérative Ésope, Périgueux",
        defaults={
            "territory": Territory.objects.filter(level=Level.COMMUNE, code="24322").first(),
            "notes": "Dix-huit entrepreneurs ruraux qui apprennent à coopérer avant d’agir.",
        },
    )
    visit.initiatives.add(*Initiative.objects.filter(slug="occitania-creativa"))
    interview, _created = Interview.objects.get_or_create(
        visit=visit,
        title=INTERVIEW_TITLE,
        defaults={"date": visit.date, "language": "fr", "duration": dt.timedelta(minutes=2)},
    )
    interview.interviewers.add(interviewer)
    person, _created = Person.objects.get_or_create(
        slug="line-simon", defaults={"first_name": "Line", "last_name": "Simon"}
    )
    interviewee, _created = Interviewee.objects.get_or_create(
        interview=interview,
        person=person,
        defaults={"role": "consultante", "speaker_label": SPEAKS},
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
    starts = [start for _speaker, start, _text in TURNS] + [TURNS[-1][1] + 16]
    turns = [
        {"speaker": speaker, "start_ms": start * 1000, "end_ms": starts[n + 1] * 1000, "text": text}
        for n, (speaker, start, text) in enumerate(TURNS)
    ]
    return services.import_segments(transcript, turns)


def load_double_coding(season, coders) -> DoubleCoding:
    """The interview, coded blind by `coders` (the two demo researchers), revealed, one of its
    disagreements settled."""
    interview = _interview(season, coders[0])
    segments = _transcript(interview)
    double = DoubleCoding.objects.filter(interview=interview).first()
    if double is None:
        (double,) = agreement.start_double_coding([interview], coders, by=coders[0])
    if double.revealed_at is None:
        codes = {code.name: code for code in Code.objects.filter(season=season)}
        for coder, coding in zip(coders, CODINGS, strict=True):
            for index, passage, names in coding:
                segment = segments[index]
                start = segment.text.index(passage)
                services.code_excerpt(
                    segment, start, start + len(passage), [codes[n] for n in names], coder=coder
                )
            double = agreement.declare_done(double, coder)
    settled = next(p for p in agreement.passages(double) if p.segment.position == SETTLED)
    if not settled.settled:
        agreement.settle_passage(
            double, settled.key, Settlement.Choice.CODER, kept_coder=coders[1], by=coders[0]
        )
    return double
