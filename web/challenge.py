"""A challenge for anonymous forms without any outside service: a signed arithmetic question plus a honeypot.

The form carries a token signed with SECRET_KEY (django.core.signing) holding two small numbers, a nonce and the
time it was issued; the sender types the sum. The answer is refused when the token is forged, older than
FEEDBACK_CHALLENGE_MAX_SECONDS, younger than FEEDBACK_CHALLENGE_MIN_SECONDS (a script posting at once), already used
(its nonce is kept in the cache until it expires), or when the hidden honeypot field is filled in. Why this one: it
needs no JavaScript (the CSP forbids inline script), no third-party call (no data leaves the province's server), no
server-side state beyond the used-nonce cache, and reads in Vietnamese; it stops generic form-spamming scripts, not
a person typing, which the per-address and per-posting limits (approvals.services.feedback_receive) bound.
"""

import secrets
import time

from django import forms
from django.conf import settings
from django.core import signing
from django.core.cache import cache
from django.utils.translation import gettext_lazy as _

SALT = "web.challenge.feedback"
WRONG = _("Câu trả lời kiểm tra chưa đúng. Vui lòng tính lại phép cộng mới bên dưới.")
STALE = _("Câu hỏi kiểm tra đã hết hạn hoặc đã được dùng. Vui lòng trả lời câu hỏi mới bên dưới.")
TOO_FAST = _("Bạn gửi quá nhanh. Vui lòng kiểm tra lại nội dung rồi gửi lại.")


def challenge_new():
    a, b = secrets.randbelow(9) + 1, secrets.randbelow(9) + 1
    token = signing.dumps({"a": a, "b": b, "n": secrets.token_hex(8), "t": time.time()}, salt=SALT)
    return token, a, b


class ChallengeForm(forms.Form):
    challenge = forms.CharField(widget=forms.HiddenInput, required=False)
    challenge_answer = forms.IntegerField(
        label=_("Kiểm tra chống thư rác"),
        required=False,
        min_value=0,
        max_value=100,
        error_messages={"invalid": WRONG, "max_value": WRONG},
    )
    # The honeypot: hidden from people (the `hidden` wrapper in the template); scripts fill every field.
    website = forms.CharField(
        required=False,
        label=_("Để trống ô này"),
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._submitted_challenge = self.data.get("challenge") if self.is_bound else None
        if not self.is_bound:
            self.challenge_renew()

    def challenge_renew(self):
        """Put a new question on the form; call it on a bound form before showing it again with its errors."""
        token, a, b = challenge_new()
        question = _("Kiểm tra chống thư rác: %(a)s + %(b)s = ?") % {"a": a, "b": b}
        self.fields["challenge_answer"].label = question
        self._bound_fields_cache.pop("challenge_answer", None)  # built with the old label while cleaning
        if self.is_bound:
            self.data = self.data.copy()
            self.data["challenge"] = token
            self.data["challenge_answer"] = ""
        else:
            self.initial["challenge"] = token

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("website"):
            raise forms.ValidationError(WRONG)
        try:
            issued = signing.loads(
                self._submitted_challenge or "", salt=SALT, max_age=settings.FEEDBACK_CHALLENGE_MAX_SECONDS
            )
        except signing.BadSignature:  # SignatureExpired is one
            self.add_error("challenge_answer", STALE)
            return cleaned
        if time.time() - float(issued.get("t", 0)) < settings.FEEDBACK_CHALLENGE_MIN_SECONDS:
            self.add_error("challenge_answer", TOO_FAST)
        elif cleaned.get("challenge_answer") != issued["a"] + issued["b"]:
            self.add_error("challenge_answer", WRONG)
        elif not cache.add(f"{SALT}:{issued['n']}", 1, timeout=settings.FEEDBACK_CHALLENGE_MAX_SECONDS):
            self.add_error("challenge_answer", STALE)
        return cleaned
