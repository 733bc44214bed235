"""JSON bodies with a size cap and a nesting cap, checked before parsing.

DRF's JSONParser reads the whole stream (Django's DATA_UPLOAD_MAX_MEMORY_SIZE does not apply to it) and Python's
json module recurses once per level, so a body of 100 000 '[' raised RecursionError — a 500, also on the anonymous
token endpoint. Here both limits answer 400 with a Vietnamese message.
"""

import codecs
import json
import re

from django.conf import settings
from django.utils.translation import gettext as _
from rest_framework import exceptions, parsers

# A JSON string (with its escapes), or one bracket: the brackets outside strings give the nesting depth.
_TOKENS = re.compile(r'"(?:[^"\\]|\\.)*"|[\[\]{}]', re.DOTALL)


def nesting_depth(text, limit):
    """Return the deepest nesting of arrays/objects in `text`, stopping as soon as it passes `limit`."""
    depth = deepest = 0
    for match in _TOKENS.finditer(text):
        token = match.group()
        if token in "[{":
            depth += 1
            if depth > deepest:
                deepest = depth
                if deepest > limit:
                    break
        elif token in "]}":
            depth -= 1
    return deepest


class BoundedJSONParser(parsers.JSONParser):
    def parse(self, stream, media_type=None, parser_context=None):
        parser_context = parser_context or {}
        encoding = parser_context.get("encoding", settings.DEFAULT_CHARSET)
        limit = settings.API_MAX_BODY_BYTES
        raw = stream.read(limit + 1) if stream is not None else b""
        if len(raw) > limit:
            raise exceptions.ParseError(
                _("Dữ liệu gửi lên quá lớn (tối đa %(size)s byte).") % {"size": limit}
            )
        try:
            text = codecs.decode(raw, encoding)
        except (UnicodeDecodeError, LookupError):
            raise exceptions.ParseError(_("Dữ liệu JSON không hợp lệ: không đọc được mã ký tự."))
        depth_limit = settings.API_MAX_JSON_DEPTH
        if nesting_depth(text, depth_limit) > depth_limit:
            raise exceptions.ParseError(
                _("Dữ liệu JSON lồng quá sâu (tối đa %(depth)s cấp).") % {"depth": depth_limit}
            )
        try:
            return json.loads(text, parse_constant=_refuse_constant)
        except (ValueError, RecursionError) as exc:
            raise exceptions.ParseError(_("Dữ liệu JSON không hợp lệ: %(error)s") % {"error": exc})


def _refuse_constant(name):
    # NaN and Infinity are not JSON; DRF refuses them too (strict mode).
    raise ValueError(_("giá trị %(name)s không được phép") % {"name": name})
