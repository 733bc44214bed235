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


def long_date(day):
    """'ngày 05 tháng 01 năm 2026' — NĐ 30/2020 Phụ lục I: a leading zero for days below 10 and months 1 and 2."""
    month = f"{day.month:02d}" if day.month < 3 else str(day.month)
    return f"ngày {day.day:02d} tháng {month} năm {day.year}"
