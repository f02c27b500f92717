"""Cursor pagination by primary key; a cursor that cannot be read is a 400, not a 404 or a 500."""

from django.utils.translation import gettext_lazy as _
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.pagination import CursorPagination


class Cursor(CursorPagination):
    ordering = "pk"
    page_size = 50
    page_size_query_param = "taille"
    max_page_size = 500

    def decode_cursor(self, request):
        try:
            return super().decode_cursor(request)
        except NotFound as exc:
            raise ValidationError({self.cursor_query_param: [_("Invalid cursor.")]}) from exc

    def get_page_size(self, request):
        try:
            return super().get_page_size(request)
        except (ValueError, OverflowError):
            return self.page_size
