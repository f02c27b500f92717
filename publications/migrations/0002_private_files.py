"""Publication files move from the public media folder (`publications/<slug>/<name>`, served by
the DEBUG /media/ route whatever the audience, state or embargo) into the private storage under a
random name, read through the checking view only; the name they had becomes their download name.
Each file is copied, then deleted from its old place; a row whose file is gone is left as it was.
"""

import logging

import medias.fields
import medias.storage
from django.db import migrations, models


logger = logging.getLogger(__name__)


def into_private_storage(apps, schema_editor):
    from django.core.files.storage import default_storage

    from medias.storage import display_name, move_file, private_storage, unguessable_name

    PublicationFile = apps.get_model("publications", "PublicationFile")
    target = private_storage()
    for pk, old in PublicationFile.objects.exclude(file="").values_list("pk", "file"):
        if not default_storage.exists(old):
            logger.warning("Publication file %s: %s not found; left as it was", pk, old)
            continue
        new = move_file(default_storage, old, target, unguessable_name("publications"))
        PublicationFile.objects.filter(pk=pk).update(file=new, original_name=display_name(old))


def back_to_default_storage(apps, schema_editor):
    from django.core.files.storage import default_storage

    from medias.storage import display_name, move_file, private_storage

    PublicationFile = apps.get_model("publications", "PublicationFile")
    source = private_storage()
    rows = PublicationFile.objects.exclude(file="").values_list(
        "pk", "file", "original_name", "publication__slug"
    )
    for pk, name, given, slug in rows:
        if not source.exists(name):
            continue
        old = f"publications/{slug}/{display_name(given or name)}"
        PublicationFile.objects.filter(pk=pk).update(
            file=move_file(source, name, default_storage, old)
        )


class Migration(migrations.Migration):
    dependencies = [
        ("publications", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="publicationfile",
            name="original_name",
            field=models.CharField(
                blank=True, editable=False, max_length=255, verbose_name="file name"
            ),
        ),
        migrations.AlterField(
            model_name="publicationfile",
            name="file",
            field=medias.fields.PrivateFileField(
                max_length=300,
                name_field="original_name",
                prefix="publications",
                storage=medias.storage.private_storage,
                upload_to=medias.storage.UnguessablePath("publications"),
                verbose_name="file",
            ),
        ),
        migrations.RunPython(into_private_storage, back_to_default_storage),
    ]
