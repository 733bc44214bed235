"""Checks on dossier uploads: type (by extension and content), size and name."""

import hashlib
import os
import re
import unicodedata

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

# extension -> (content type, magic-bytes prefixes)
ALLOWED = {
    ".pdf": ("application/pdf", (b"%PDF-",)),
    ".docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", (b"PK\x03\x04",)),
    ".xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", (b"PK\x03\x04",)),
    ".odt": ("application/vnd.oasis.opendocument.text", (b"PK\x03\x04",)),
    ".doc": ("application/msword", (b"\xd0\xcf\x11\xe0",)),
    ".xls": ("application/vnd.ms-excel", (b"\xd0\xcf\x11\xe0",)),
    ".jpg": ("image/jpeg", (b"\xff\xd8\xff",)),
    ".jpeg": ("image/jpeg", (b"\xff\xd8\xff",)),
    ".png": ("image/png", (b"\x89PNG\r\n\x1a\n",)),
}
# Where an uploaded list or history file waits between its preview and its confirmation (the pages keep the path in
# the session); what is never confirmed is deleted by `services.pending_uploads_purge`.
HELD_IMPORTS = ("imports", "imports/lists")

_UNSAFE = re.compile(r"[^\w.\- ()]+", re.UNICODE)


def clean_name(name):
    """Return a safe file name that keeps Vietnamese letters, or raise ValidationError."""
    base = os.path.basename((name or "").replace("\\", "/"))
    base = unicodedata.normalize("NFC", base).strip()
    if not base or base in {".", ".."} or "\x00" in base:
        raise ValidationError({"file": _("Tên tệp không hợp lệ.")})
    if len(base) > 200:
        raise ValidationError({"file": _("Tên tệp quá dài (tối đa 200 ký tự).")})
    safe = _UNSAFE.sub("_", base).lstrip(".")
    if not safe:
        raise ValidationError({"file": _("Tên tệp không hợp lệ.")})
    return safe


def inspect_upload(uploaded):
    """Validate an uploaded file. Return (clean name, content type, size, sha256)."""
    name = clean_name(uploaded.name)
    ext = os.path.splitext(name)[1].lower()
    if ext not in ALLOWED:
        raise ValidationError(
            {
                "file": _("Loại tệp %(ext)s không được chấp nhận. Chấp nhận: %(allowed)s.")
                % {"ext": ext or _("(không có phần mở rộng)"), "allowed": ", ".join(sorted(ALLOWED))}
            }
        )
    size = uploaded.size
    if size == 0:
        raise ValidationError({"file": _("Tệp rỗng.")})
    if size > settings.DOSSIER_MAX_BYTES:
        raise ValidationError(
            {
                "file": _("Tệp quá lớn: tối đa %(mb)s MB.")
                % {"mb": settings.DOSSIER_MAX_BYTES // (1024 * 1024)}
            }
        )
    content_type, magics = ALLOWED[ext]
    uploaded.seek(0)
    head = uploaded.read(16)
    if not any(head.startswith(magic) for magic in magics):
        raise ValidationError({"file": _("Nội dung tệp không khớp với định dạng %(ext)s.") % {"ext": ext}})
    digest = hashlib.sha256()
    uploaded.seek(0)
    for chunk in uploaded.chunks():
        digest.update(chunk)
    uploaded.seek(0)
    return name, content_type, size, digest.hexdigest()
