"""The browsable API as DRF draws it, less the one inline <style> (Pygments' syntax colours)
that the site's Content-Security-Policy would refuse: the JSON is shown uncoloured instead."""

from rest_framework import renderers


class BrowsableAPIRenderer(renderers.BrowsableAPIRenderer):
    def get_context(self, data, accepted_media_type, renderer_context):
        context = super().get_context(data, accepted_media_type, renderer_context)
        context["code_style"] = None
        return context
