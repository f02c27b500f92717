"""Fixtures: a small published directory, a partner in an organisation, publications with files."""

import datetime

import pytest
from django.contrib.auth.models import Group, User
from django.core.files.base import ContentFile
from django.utils.text import slugify

from initiatives.models import Initiative, Organisation, Pole
from initiatives.services import publish
from publications.models import Audience, Kind, PartnerAccount, Publication, PublicationFile
from territoires.models import Level, Territory

PASSWORD = "Coop-Terrain-2024"


def place(level, code, name, parent=None, **extra):
    return Territory.objects.create(
        level=level, code=code, name=name, slug=slugify(name), parent=parent, **extra
    )


@pytest.fixture
def media(settings, tmp_path):
    """Publication files are kept in the private storage; MEDIA_ROOT must stay empty."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.MEDIA_PRIVATE_ROOT = tmp_path / "private-media"
    return settings.MEDIA_PRIVATE_ROOT


@pytest.fixture
def directory(db):
    region = place(Level.REGION, "32", "Hauts-de-France", latitude=50.0, longitude=2.8)
    departement = place(Level.DEPARTEMENT, "62", "Pas-de-Calais", parent=region)
    bruay = place(Level.COMMUNE, "62178", "Bruay-la-Buissière", parent=departement,
                  latitude=50.48, longitude=2.55)  # fmt: skip
    other = place(Level.REGION, "84", "Auvergne-Rhône-Alpes")
    lyon = place(Level.COMMUNE, "69123", "Lyon", parent=other, latitude=45.76, longitude=4.83)
    pole = publish(Pole.objects.create(name="PTCE Artois", slug="ptce-artois", territory=bruay,
                                       summary="A pole."))  # fmt: skip
    made = []
    for index, (name, where, themes) in enumerate(
        [
            ("Maison des échanges", bruay, ["mobilité", "échange"]),
            ("Épicerie solidaire", bruay, ["alimentation"]),
            ("ADERE achats", lyon, []),
        ]
    ):
        item = Initiative.objects.create(
            name=name, slug=slugify(name), territory=where, summary=f"{name}, «quoted», a; b",
            latitude=where.latitude, longitude=where.longitude,
            start_date=datetime.date(2015 + index, 1, 1),
        )  # fmt: skip
        item.themes.add(*themes)
        made.append(publish(item))
    made[0].poles.add(pole)
    Initiative.objects.create(name="Brouillon", slug="brouillon", territory=bruay)  # a draft
    publish(Organisation.objects.create(name="ADERE LAURA", slug="adere-laura", territory=lyon))
    return {"initiatives": made, "region": region, "bruay": bruay, "pole": pole}


@pytest.fixture
def partner(db):
    organisation = Organisation.objects.create(name="Banque coopérative", slug="banque-coop")
    user = User.objects.create_user("partenaire", password=PASSWORD)
    user.groups.add(Group.objects.get(name="partner"))
    PartnerAccount.objects.create(user=user, organisation=organisation)
    return user


@pytest.fixture
def staff(db):
    return User.objects.create_user("camille", password=PASSWORD, is_staff=True)


def make_publication(title, audience=Audience.EVERYONE, kind=Kind.DATASET, **extra):
    publication = Publication.objects.create(
        title=title, slug=slugify(title), kind=kind, authors="Dupont, Marie; Martin, Paul",
        date=datetime.date(2024, 5, 2), audience=audience, abstract="What we learned.", **extra,
    )  # fmt: skip
    item = PublicationFile(publication=publication, title=f"{title} (CSV)")
    item.file.save("data.csv", ContentFile(b"id,name\n1,Maison\n"), save=False)
    item.save()
    return publish(publication)


@pytest.fixture
def publications(db, media, directory):
    open_one = make_publication("Initiatives 2024")
    open_one.initiatives.add(directory["initiatives"][0])
    open_one.territories.add(directory["region"])
    closed = make_publication("Rapport partenaires", audience=Audience.PARTNERS, kind=Kind.REPORT)
    return {"open": open_one, "partners": closed}
