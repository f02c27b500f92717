"""Signed consent forms move from the public media folder (`private/consents/<year>/<name>`,
served by the DEBUG /media/ route) into the private storage under a random name; the name they
were uploaded with and their sniffed type are kept beside them. Nothing is lost: each file is
copied, then deleted from its old place; a row whose file is already gone is left as it was.
"""

import logging

import medias.fields
import medias.storage
from django.db import migrations, models


logger = logging.getLogger(__name__)


def into_private_storage(apps, schema_editor):
    from django.core.files.storage import default_storage

    from medias.storage import (
        display_name,
        move_file,
        private_storage,
        sniffed_type,
        unguessable_name,
    )

    Consent = apps.get_model("terrain", "Consent")
    target = private_storage()
    for pk, old in Consent.objects.exclude(signed_form="").values_list("pk", "signed_form"):
        if not default_storage.exists(old):
            logger.warning("Consent %s: signed form %s not found; left as it was", pk, old)
            continue
        new = move_file(default_storage, old, target, unguessable_name("consents"))
        Consent.objects.filter(pk=pk).update(
            signed_form=new,
            signed_form_name=display_name(old),
            signed_form_type=sniffed_type(target, new),
        )


def back_to_default_storage(apps, schema_editor):
    from django.core.files.storage import default_storage

    from medias.storage import display_name, move_file, private_storage

    Consent = apps.get_model("terrain", "Consent")
    source = private_storage()
    rows = Consent.objects.exclude(signed_form="").values_list(
        "pk", "signed_form", "signed_form_name"
    )
    for pk, name, given in rows:
        if not source.exists(name):
            continue
        old = move_file(
            source, name, default_storage, f"private/consents/{display_name(given or name)}"
        )
        Consent.objects.filter(pk=pk).update(signed_form=old)


class Migration(migrations.Migration):
    dependencies = [
        ("terrain", "0003_consent_expiry_applied"),
    ]

    operations = [
        migrations.AddField(
            model_name="consent",
            name="signed_form_name",
            field=models.CharField(
                blank=True, editable=False, max_length=255, verbose_name="signed form's file name"
            ),
        ),
        migrations.AddField(
            model_name="consent",
            name="signed_form_type",
            field=models.CharField(
                blank=True,
                editable=False,
                max_length=100,
                verbose_name="signed form's sniffed type",
            ),
        ),
        migrations.AlterField(
            model_name="accesslog",
            name="target",
            field=models.CharField(
                choices=[
                    ("transcript", "transcript"),
                    ("recording", "recording"),
                    ("export", "coded work export"),
                    ("consent", "signed consent form"),
                ],
                max_length=12,
                verbose_name="what",
            ),
        ),
        migrations.AlterField(
            model_name="consent",
            name="signed_form",
            field=medias.fields.PrivateFileField(
                blank=True,
                help_text="A PDF or an image (JPEG, PNG, WebP, TIFF).",
                max_length=255,
                name_field="signed_form_name",
                prefix="consents",
                storage=medias.storage.private_storage,
                upload_to=medias.storage.UnguessablePath("consents"),
                verbose_name="signed form",
            ),
        ),
        migrations.RunPython(into_private_storage, back_to_default_storage),
    ]
