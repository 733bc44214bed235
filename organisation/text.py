"""Accent-insensitive matching of Vietnamese text."""

import unicodedata


def fold(text):
    """Return lower-case text without Vietnamese diacritics: 'Nguyễn Văn Đức' -> 'nguyen van duc'."""
    if not text:
        return ""
    text = text.replace("đ", "d").replace("Đ", "D")
    decomposed = unicodedata.normalize("NFD", text)
    stripped = "".join(ch for ch in decomposed if unicodedata.category(ch) != "Mn")
    return " ".join(stripped.lower().split())
