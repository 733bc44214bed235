"""Query parameters and posted id lists, parsed through form fields: a bad value is a 400 with a Vietnamese message.

`str.isdigit()` accepts '²' and other digits int() refuses, and an unbounded integer or date overflows the database
or the date arithmetic; every parameter a page reads goes through these fields instead.
"""

from datetime import date

from django import forms
from django.core.exceptions import BadRequest, ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.utils.translation import gettext_lazy as _

# Primary keys are BigAutoField: nothing above fits a row id (and SQLite overflows on it).
MAX_ID = 2**63 - 1
# Dates the application can reason about (calendar, deadlines, audit search); outside them, date arithmetic overflows.
MIN_DATE, MAX_DATE = date(1900, 1, 1), date(2100, 12, 31)
MIN_YEAR, MAX_YEAR = MIN_DATE.year, MAX_DATE.year
DATE_RANGE_ERROR = _("Ngày phải trong khoảng 01/01/1900 đến 31/12/2100.")


class BadQuery(BadRequest):
    """A query string a page cannot read; answered 400 by `web.errors.bad_request` with the field messages."""

    def __init__(self, form):
        self.messages = [
            f"{form.fields[name].label or name}: {' '.join(errors)}"
            if name in form.fields
            else " ".join(errors)
            for name, errors in form.errors.items()
        ]
        super().__init__("; ".join(self.messages))


def id_field(label, **kwargs):
    message = _("%(label)s phải là số nguyên dương.") % {"label": label}
    return forms.IntegerField(
        label=label,
        required=False,
        min_value=1,
        max_value=MAX_ID,
        error_messages={"invalid": message, "min_value": message, "max_value": message},
        **kwargs,
    )


def year_field(label):
    message = _("Năm phải là số từ %(min)s đến %(max)s.") % {"min": MIN_YEAR, "max": MAX_YEAR}
    return forms.IntegerField(
        label=label,
        required=False,
        min_value=MIN_YEAR,
        max_value=MAX_YEAR,
        error_messages={"invalid": message, "min_value": message, "max_value": message},
    )


def date_range_validators():
    return [
        MinValueValidator(MIN_DATE, message=DATE_RANGE_ERROR),
        MaxValueValidator(MAX_DATE, message=DATE_RANGE_ERROR),
    ]


def query_params(request, form_class, **kwargs):
    """Return the cleaned query parameters, or raise BadQuery (a 400) naming each bad field."""
    form = form_class(request.GET, **kwargs)
    if not form.is_valid():
        raise BadQuery(form)
    return form.cleaned_data


def posted_ids(values):
    """The ids in a posted list (checkboxes): values that are not a row id are dropped, as if unticked."""
    field = id_field(_("Mã"))
    ids = []
    for value in values:
        try:
            parsed = field.clean(value)
        except ValidationError:
            continue
        if parsed is not None:
            ids.append(parsed)
    return ids


def id_or_none(value):
    """One optional id (e.g. a preselected unit); anything that is not a row id reads as none."""
    ids = posted_ids([value]) if value else []
    return ids[0] if ids else None


class NominationFilterForm(forms.Form):
    """The filter bar of the home page and the nomination list."""

    q = forms.CharField(label=_("Tìm kiếm"), max_length=200, required=False)
    unit = id_field(_("Đơn vị"))
    award_type = forms.CharField(label=_("Loại hình khen thưởng"), max_length=64, required=False)
    movement = id_field(_("Phong trào"))
    status = forms.CharField(label=_("Trạng thái"), max_length=32, required=False)

    def __init__(self, *args, statuses=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.statuses = set(statuses)

    def clean_status(self):
        status = self.cleaned_data["status"]
        # An unknown status filters nothing out, as before (old bookmarks keep working).
        return status if status in self.statuses else ""


class YearQueryForm(forms.Form):
    nam = year_field(_("Năm"))


class DecisionNumberQueryForm(forms.Form):
    """`?number=15/QĐ-UBND` or `?id=7` of the inspector's decision trace (a NUL byte, an overlong value or an id
    that is not a whole number is a 400)."""

    number = forms.CharField(label=_("Số quyết định"), max_length=50, required=False)
    id = id_field(_("Mã quyết định"))
