"""Published-ness, decided in one place: a state on public models and a `published()` queryset."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class State(models.TextChoices):
    DRAFT = "draft", _("draft")
    PUBLISHED = "published", _("published")
    WITHDRAWN = "withdrawn", _("withdrawn")


class PublishableQuerySet(models.QuerySet):
    def published(self):
        """The only definition of "public": pages, exports, API, sitemap and search read this."""
        return self.filter(state=State.PUBLISHED)

    def visible_to(self, user):
        """Published rows; staff also see the others, to check a page before publishing it."""
        return self.all() if user.is_staff else self.published()


class Publishable(models.Model):
    state = models.CharField(
        _("state"), max_length=10, choices=State.choices, default=State.DRAFT, db_index=True
    )
    published_at = models.DateTimeField(_("published at"), null=True, blank=True, editable=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = PublishableQuerySet.as_manager()

    class Meta:
        abstract = True

    @property
    def is_published(self) -> bool:
        return self.state == State.PUBLISHED
