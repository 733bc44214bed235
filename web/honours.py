"""Public pages of the Công dân Đồng Khởi title: the golden book (sổ vàng). No login; public fields only."""

from django.shortcuts import render
from django.views.decorators.http import require_safe

from nominations import honours


@require_safe
def golden_book(request):
    """List every holder by year: name, title variant, position and unit, decision number, conferral day."""
    return render(request, "nominations/golden_book.html", {"years": honours.golden_book()})
