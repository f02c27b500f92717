"""Demo publications: an open dataset, an open report with its PDF, a partners-only dataset.

The files are made at load time from the demo's own rows (a CSV of the published initiatives,
a PDF rendered by WeasyPrint from the published finding), never downloaded. Idempotent: found
by slug; the demo partner gets a partner account so that the portal shows what it is for.
"""

import csv
import datetime as dt
import io

from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.utils import timezone

from initiatives import services as directory
from initiatives.models import Initiative, Organisation

from . import changes
from .models import Audience, Kind, Licence, PartnerAccount, Publication, PublicationFile

AUTHORS = "Observatoire des initiatives coopératives; Langlais, Ophélie"


def _initiatives_csv() -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["nom", "territoire", "résumé"])
    for item in Initiative.objects.published().select_related("territory").order_by("name"):
        writer.writerow([item.name, item.territory.name if item.territory else "", item.summary])
    return out.getvalue().encode("utf-8")


def _report_pdf(findings) -> bytes:
    from django.utils.html import escape
    from weasyprint import HTML

    sections = "".join(
        f"<h2>{escape(finding.title)}</h2><p>{escape(finding.summary)}</p>"
        f"<p>{escape(finding.text)}</p>"
        for finding in findings
    )
    html = (
        "<html lang='fr'><body><h1>Ce qui rend la coopération possible</h1>"
        f"<p>Enseignements de la première saison d'itinérance.</p>{sections}</body></html>"
    )
    return HTML(string=html).write_pdf()


def _publication(slug, files, **fields):
    publication = Publication.objects.filter(slug=slug).first()
    if publication is not None:
        return publication
    publication = Publication.objects.create(slug=slug, authors=AUTHORS, **fields)
    for title, name, media_type, content in files:
        item = PublicationFile(publication=publication, title=title, media_type=media_type)
        item.file.save(name, ContentFile(content()), save=False)
        item.save()
    return directory.publish(publication)


def load_demo_publications() -> list[Publication]:
    from terrain.models import Finding

    today = timezone.localdate()
    findings = list(Finding.objects.published().order_by("pk"))
    report = _publication(
        "ce-qui-rend-la-cooperation-possible",
        [("Rapport (PDF)", "rapport.pdf", "application/pdf", lambda: _report_pdf(findings))],
        kind=Kind.REPORT,
        title="Ce qui rend la coopération possible : enseignements de la saison 2017",
        abstract="Les mécanismes implicites de la coopération observés sur le terrain : "
        "confiance, diagnostic partagé, médiation entre acteurs de mondes différents.",
        date=today - dt.timedelta(days=40),
        licence=Licence.CC_BY_4,
    )
    report.findings.add(*findings)
    dataset = _publication(
        "annuaire-des-initiatives",
        [("Initiatives publiées (CSV)", "initiatives.csv", "text/csv", _initiatives_csv)],
        kind=Kind.DATASET,
        title="Annuaire des initiatives coopératives",
        abstract="Les initiatives publiées par l'observatoire, avec leur territoire.",
        date=today - dt.timedelta(days=10),
        licence=Licence.ETALAB_2,
    )
    partners = _publication(
        "tableau-de-bord-partenaires",
        [("Tableau de bord (CSV)", "tableau-de-bord.csv", "text/csv", _initiatives_csv)],
        kind=Kind.DATASET,
        title="Tableau de bord des partenaires : initiatives suivies",
        abstract="Réservé aux partenaires de l'observatoire : les initiatives suivies et leur "
        "territoire, mis à jour à chaque saison.",
        date=today - dt.timedelta(days=3),
        licence=Licence.ALL_RIGHTS,
        audience=Audience.PARTNERS,
    )
    partner = get_user_model().objects.filter(username="partner").first()
    funder = Organisation.objects.filter(slug="credit-cooperatif").first()
    if partner is not None and funder is not None:
        PartnerAccount.objects.get_or_create(user=partner, defaults={"organisation": funder})
    # The directory was loaded in bulk, without signals: partners' mirrors fetch it all again.
    changes.record_everything()
    return [report, dataset, partners]
