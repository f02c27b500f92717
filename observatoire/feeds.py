"""The Atom feed of newly published initiatives, in the language of its address."""

from django.contrib.syndication.views import Feed
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext_lazy as _

from initiatives.models import Initiative

FEED_ITEMS = 30


class LatestInitiativesFeed(Feed):
    feed_type = Atom1Feed
    title = _("Newly published initiatives")
    subtitle = _("Cooperative initiatives published by the observatory, the latest first.")
    author_name = _("Observatory of cooperative initiatives")

    def link(self):
        return reverse("initiatives:list")

    def items(self):
        return (
            Initiative.objects.published()
            .select_related("territory")
            .prefetch_related("themes")
            .order_by("-published_at", "-pk")[:FEED_ITEMS]
        )

    def item_title(self, item):
        return item.name

    def item_description(self, item):
        return item.summary

    def item_pubdate(self, item):
        return item.published_at

    def item_updateddate(self, item):
        return item.updated_at

    def item_categories(self, item):
        return [item.territory.name] + [theme.name for theme in item.themes.all()]
