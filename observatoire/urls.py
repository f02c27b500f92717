"""URLs: French at the root, English under /en/; health and i18n outside the language prefix."""

from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.contrib.sitemaps import views as sitemap_views
from django.urls import include, path
from django.views.i18n import JavaScriptCatalog

from agenda.views import feed as agenda_feed

from . import accounts, views
from .feeds import LatestInitiativesFeed
from .i18n import set_language
from .sitemaps import SITEMAPS, robots_txt, sitemap_index

urlpatterns = [
    path("health/", views.health, name="health"),
    path("i18n/setlang/", set_language, name="set_language"),
    # Crawlers look for these at the root; the sitemap lists each page in both languages.
    path("robots.txt", robots_txt, name="robots"),
    path("sitemap.xml", sitemap_index, name="sitemap-index"),
    path(
        "sitemap-<section>.xml",
        sitemap_views.sitemap,
        {"sitemaps": SITEMAPS},
        name="sitemap-section",
    ),
    path("api/", include("publications.api.urls")),
]

urlpatterns += i18n_patterns(
    path("", views.home, name="home"),
    path("recherche/", views.search, name="search"),
    # Before Django's own: a completed reset also lifts a sign-in lockout.
    path(
        "comptes/reset/<uidb64>/<token>/",
        accounts.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path("comptes/login/", views.LoginView.as_view(), name="login"),
    path("comptes/", include("django.contrib.auth.urls")),
    path("territoires/", include("territoires.urls")),
    path("initiatives/flux.atom", LatestInitiativesFeed(), name="initiatives-feed"),
    path("", include("initiatives.urls")),
    path("carte/", include("carte.urls")),
    path("traitements/", include("medias.urls")),
    path("terrain/", include("terrain.urls")),
    path("enseignements/", include("terrain.public_urls")),
    path("", include("publications.urls")),
    path("missions/", include("accompagnements.urls")),
    path("agenda/", include("agenda.urls")),
    path("evaluations/", include("evaluations.urls")),
    path("contributions/", include("contributions.urls")),
    path("agenda.ics", agenda_feed, name="agenda-ics"),
    path("jsi18n/", JavaScriptCatalog.as_view(), name="javascript-catalog"),
    path("admin/", admin.site.urls),
    prefix_default_language=False,
)

# No route serves a media folder, in any settings: every kept file is in the private storage and
# read through a view that checks who asks (medias:original/rendition for media files and their
# public thumbnails, terrain:consent-file, publications:file).
