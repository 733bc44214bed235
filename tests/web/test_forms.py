"""Service errors come back on the form: known keys on their fields, the rest above the form."""

from django.core.exceptions import ValidationError

from web.forms import ReasonForm, errors_from_service


def test_service_keys_map_to_fields_and_unknown_keys_to_non_field_errors():
    form = ReasonForm({"action": "return", "reason": ""}, actions=["return"])
    assert form.is_valid()
    errors_from_service(form, ValidationError({"reason": "Phải nêu lý do.", "votes_for": "Sai số phiếu."}))
    assert form.errors["reason"] == ["Phải nêu lý do."]
    assert form.non_field_errors() == ["Sai số phiếu."]


def test_plain_service_errors_become_non_field_errors():
    form = ReasonForm({"action": "return"}, actions=["return"])
    assert form.is_valid()
    errors_from_service(form, ValidationError("Công việc này đã được xử lý."))
    assert form.non_field_errors() == ["Công việc này đã được xử lý."]


def test_required_message_is_vietnamese():
    form = ReasonForm({}, actions=["return"])
    assert not form.is_valid()
    # A list is chosen from, not typed in (issue #22).
    assert form.errors["action"] == ["Vui lòng chọn một mục trong danh sách."]


def test_required_text_field_asks_to_type_it_in():
    from web.forms import SubmitSelectedForm

    form = SubmitSelectedForm({})
    form.fields["number"].required = True
    assert not form.is_valid()
    assert form.errors["number"] == ["Vui lòng nhập trường này."]
