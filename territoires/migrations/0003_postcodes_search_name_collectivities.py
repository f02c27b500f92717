"""Postcodes of communes, the folded name typed names are compared with and lists sort by, and
overseas collectivities as a level of their own.

The package lists each overseas collectivity (Saint-Pierre-et-Miquelon, Polynésie française...)
both as a région and as a département of the same code; they were loaded as such. Here each région
row becomes the collectivity, its communes hang under it, and the département row is kept, no
longer current, pointing to it (as a merged commune points to its successor), so that whatever
referred to it still resolves.
"""

import django.db.models.deletion
from django.db import migrations, models

from observatoire.db import PostgreSQLOnlySQL
from territoires.names import fold

# The codes of the overseas collectivities (zone "com" in the package's regions.json).
COLLECTIVITIES = ["975", "977", "978", "984", "986", "987", "988", "989"]
BATCH = 2000


def fill_search_names(apps, schema_editor):
    Territory = apps.get_model("territoires", "Territory")
    rows = list(Territory.objects.only("pk", "name"))
    for row in rows:
        row.search_name = fold(row.name)[:200]
    Territory.objects.bulk_update(rows, ["search_name"], batch_size=BATCH)


def collectivities_apart(apps, schema_editor):
    Territory = apps.get_model("territoires", "Territory")
    for code in COLLECTIVITIES:
        region = Territory.objects.filter(level="region", code=code).first()
        if region is None:
            continue
        region.level, region.path, region.parent_id = "collectivite", f"o{code}/", None
        region.save(update_fields=["level", "path", "parent"])
        departement = Territory.objects.filter(level="departement", code=code).first()
        if departement is None:
            continue
        communes = list(Territory.objects.filter(parent=departement))
        for commune in communes:
            commune.parent_id, commune.path = region.pk, f"{region.path}c{commune.code}/"
        Territory.objects.bulk_update(communes, ["parent", "path"], batch_size=BATCH)
        departement.is_current, departement.replaced_by_id = False, region.pk
        departement.save(update_fields=["is_current", "replaced_by"])


def collectivities_back(apps, schema_editor):
    Territory = apps.get_model("territoires", "Territory")
    for region in Territory.objects.filter(level="collectivite", code__in=COLLECTIVITIES):
        region.level, region.path = "region", f"r{region.code}/"
        region.save(update_fields=["level", "path"])
        departement = Territory.objects.filter(level="departement", code=region.code).first()
        if departement is None:
            continue
        departement.is_current, departement.replaced_by_id = True, None
        departement.save(update_fields=["is_current", "replaced_by"])
        communes = list(Territory.objects.filter(parent=region, level="commune"))
        for commune in communes:
            commune.parent_id = departement.pk
            commune.path = f"{departement.path}c{commune.code}/"
        Territory.objects.bulk_update(communes, ["parent", "path"], batch_size=BATCH)


class Migration(migrations.Migration):
    dependencies = [
        ("territoires", "0002_territory_search_vector"),
    ]

    operations = [
        migrations.CreateModel(
            name="PostalCode",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("code", models.CharField(max_length=5, verbose_name="postcode")),
            ],
            options={
                "verbose_name": "postcode",
                "verbose_name_plural": "postcodes",
            },
        ),
        migrations.AlterModelOptions(
            name="territory",
            options={
                "ordering": ["search_name", "pk"],
                "verbose_name": "territory",
                "verbose_name_plural": "territories",
            },
        ),
        migrations.AddField(
            model_name="territory",
            name="search_name",
            field=models.CharField(
                default="", editable=False, max_length=200, verbose_name="name for search"
            ),
        ),
        migrations.AlterField(
            model_name="territory",
            name="level",
            field=models.CharField(
                choices=[
                    ("region", "région"),
                    ("collectivite", "overseas collectivity"),
                    ("departement", "département"),
                    ("epci", "intercommunality (EPCI)"),
                    ("commune", "commune"),
                    ("area", "free area"),
                ],
                max_length=12,
                verbose_name="level",
            ),
        ),
        migrations.AddIndex(
            model_name="territory",
            index=models.Index(
                fields=["search_name"],
                name="territory_search_name",
                opclasses=["varchar_pattern_ops"],
            ),
        ),
        migrations.AddField(
            model_name="postalcode",
            name="territory",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="postal_codes",
                to="territoires.territory",
                verbose_name="commune",
            ),
        ),
        migrations.AddIndex(
            model_name="postalcode",
            index=models.Index(
                fields=["code"], name="postal_code_prefix", opclasses=["varchar_pattern_ops"]
            ),
        ),
        migrations.AddConstraint(
            model_name="postalcode",
            constraint=models.UniqueConstraint(
                fields=("code", "territory"), name="postal_code_unique"
            ),
        ),
        migrations.RunPython(fill_search_names, migrations.RunPython.noop),
        # Place names in search queries are now compared with search_name (observatoire.search).
        PostgreSQLOnlySQL(
            "DROP INDEX IF EXISTS territory_name_folded",
            "CREATE INDEX territory_name_folded ON territoires_territory (search_fold(name))",
        ),
        migrations.RunPython(collectivities_apart, collectivities_back),
    ]
