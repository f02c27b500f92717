"""A file field for files only some people may read: private storage, unguessable name, and a
`.url` that is the model's checking view, never the storage's own address.

The model says where its file is read with `private_file_url(field_name)`; the name the person
gave the file is kept in the column named by `name_field` and offered as the download's name.
Templates, forms and the admin all use `.url`, so none of them can hand out a direct link.
"""

from django import forms
from django.core.files.base import File
from django.db import models
from django.db.models.fields.files import FieldFile, FileDescriptor

from .storage import UnguessablePath, display_name, private_storage


class PrivateFieldFile(FieldFile):
    @property
    def url(self):
        self._require_file()
        return self.instance.private_file_url(self.field.name)

    @property
    def download_name(self) -> str:
        given = getattr(self.instance, self.field.name_field, "") if self.field.name_field else ""
        return given or display_name(self.name)

    def save(self, name, content, save=True):
        # The name given here is the person's; the stored name is drawn by upload_to.
        self.field.remember_name(self.instance, name)
        super().save(name, content, save)


class PrivateFileDescriptor(FileDescriptor):
    def __set__(self, instance, value):
        # An upload assigned by a form or the admin: keep the name it came with.
        if isinstance(value, File) and not isinstance(value, FieldFile):
            self.field.remember_name(instance, value.name)
        super().__set__(instance, value)


class _Shown:
    """What the file input shows of the current file: its given name, linked to the view."""

    def __init__(self, url: str, name: str):
        self.url, self.name = url, name

    def __str__(self):
        return self.name


class ShowsGivenName:
    """For a file input: show the current file by its given name, linked to the checking view."""

    def format_value(self, value):
        if self.is_initial(value):
            return _Shown(value.url, value.download_name)
        return None


class PrivateFileInput(ShowsGivenName, forms.ClearableFileInput):
    pass


class PrivateFileField(models.FileField):
    attr_class = PrivateFieldFile
    descriptor_class = PrivateFileDescriptor

    def __init__(self, *args, prefix="private", name_field="", **kwargs):
        self.prefix, self.name_field = prefix, name_field
        kwargs.setdefault("storage", private_storage)
        kwargs.setdefault("upload_to", UnguessablePath(prefix))
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        kwargs["name_field"] = self.name_field
        kwargs["prefix"] = self.prefix
        return name, path, args, kwargs

    def remember_name(self, instance, name) -> None:
        if self.name_field and name:
            setattr(instance, self.name_field, display_name(name))

    def formfield(self, **kwargs):
        widget = kwargs.get("widget") or PrivateFileInput
        if isinstance(widget, type) and not issubclass(widget, ShowsGivenName):
            # e.g. the admin's AdminFileWidget: the same, showing the given name.
            widget = type(widget.__name__, (ShowsGivenName, widget), {})
        return super().formfield(**{**kwargs, "widget": widget})
