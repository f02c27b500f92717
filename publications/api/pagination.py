"""Cursor pagination by primary key, with a cursor whose every well-formed value can be read.

DRF's cursor is base64 of a query string: most strings are not cursors, so its schema (`string`)
promised more than the API accepted. Here a cursor is `n<pk>` (the rows after `pk`) or `r<pk>`
(the rows before it, going back), optionally `.<offset>`; `n` alone is the first page. Anything
the pattern allows is answered with a page (perhaps empty); anything else, and a page size that is
not a whole number from 1 to 500, is a 400 that names the parameter.
"""

import re

from django.utils.translation import gettext_lazy as _
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import Cursor as DrfCursor
from rest_framework.pagination import CursorPagination
from rest_framework.utils.urls import replace_query_param

CURSOR_PATTERN = r"^[nr][0-9]{0,18}(\.[0-9]{1,4})?$"
PAGE_SIZE_PATTERN = re.compile(r"[0-9]{1,6}")


class Cursor(CursorPagination):
    ordering = "pk"
    page_size = 50
    page_size_query_param = "taille"
    max_page_size = 500
    cursor_query_description = _(
        "Where the page starts: copy it from `next` or `previous` (n<id>: after that id; "
        "r<id>: before it)."
    )
    page_size_query_description = _("Number of results per page, from 1 to 500 (50 by default).")

    def decode_cursor(self, request):
        values = request.query_params.getlist(self.cursor_query_param)
        if not values:
            return None
        if len(values) != 1 or not re.fullmatch(CURSOR_PATTERN, values[0]):
            raise ValidationError({self.cursor_query_param: [_("Invalid cursor.")]})
        text = values[0]
        position, _sep, offset = text[1:].partition(".")
        return DrfCursor(
            offset=min(int(offset or 0), self.offset_cutoff),
            reverse=text[0] == "r",
            position=position or None,
        )

    def encode_cursor(self, cursor):
        text = ("r" if cursor.reverse else "n") + (cursor.position or "")
        if cursor.offset:
            text += f".{cursor.offset}"
        return replace_query_param(self.base_url, self.cursor_query_param, text)

    def get_page_size(self, request):
        values = request.query_params.getlist(self.page_size_query_param)
        if not values:
            return self.page_size
        if (
            len(values) != 1
            or not PAGE_SIZE_PATTERN.fullmatch(values[0])
            or not 1 <= int(values[0]) <= self.max_page_size
        ):
            message = _("A whole number from 1 to %(max)d.") % {"max": self.max_page_size}
            raise ValidationError({self.page_size_query_param: [message]})
        return int(values[0])

    def get_schema_operation_parameters(self, view):
        cursor, size = super().get_schema_operation_parameters(view)
        cursor["schema"] = {"type": "string", "pattern": CURSOR_PATTERN}
        size["schema"] = {"type": "integer", "minimum": 1, "maximum": self.max_page_size}
        return [cursor, size]

    def get_paginated_response_schema(self, schema):
        link = {"type": ["string", "null"], "format": "uri"}
        return {
            "type": "object",
            "required": ["next", "previous", "results"],
            "properties": {"next": link, "previous": link, "results": schema},
        }
