"""The 400 page: a query string or form a page cannot read, in Vietnamese, with what was wrong."""

from django.shortcuts import render

from web.params import BadQuery


def bad_request(request, exception=None):
    messages = exception.messages if isinstance(exception, BadQuery) else []
    return render(request, "400.html", {"errors": messages}, status=400)
