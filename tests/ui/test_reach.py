"""Every main page, per persona: nothing wider than a 390 px phone, and no serious or critical accessibility
violation found by axe-core (vendored in tests/ui/vendor, injected into the page; no network)."""

from datetime import timedelta
from pathlib import Path
from pprint import pformat

import pytest
from django.utils import timezone

from approvals.models import Certificate
from tests.factories import file_nomination, open_dong_khoi_round
from tests.ui.conftest import PASSWORD
from workflows.services import (
    appraisal_approve,
    decision_sign,
    nomination_submit,
    open_task_of,
    review_forward,
    review_return,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}
AXE = (Path(__file__).parent / "vendor" / "axe.min.js").read_text()


def _world(people):
    """One nomination at each stage officials meet daily: returned, in review, posted, awarded."""
    returned = file_nomination(people.clerk, full_name="Nguyễn Văn Trả")
    nomination_submit(actor=people.head, nomination=returned)
    review_return(
        actor=people.district_reviewer, task_id=open_task_of(returned).task_id, reason="Bổ sung biên bản."
    )
    in_review = file_nomination(people.clerk, full_name="Nguyễn Thị Xét Duyệt Có Một Cái Tên Rất Dài Để Thử")
    nomination_submit(actor=people.head, nomination=in_review)
    posted = file_nomination(
        people.clerk, award_code="co_thi_dua_tinh", kind="collective", full_name="Hợp tác xã Định Thủy"
    )
    nomination_submit(actor=people.head, nomination=posted)
    review_forward(actor=people.district_reviewer, task_id=open_task_of(posted).task_id)
    appraisal_approve(actor=people.province_reviewer, task_id=open_task_of(posted).task_id)
    awarded = file_nomination(people.clerk, full_name="Lê Văn Khen")
    nomination_submit(actor=people.head, nomination=awarded)
    review_forward(actor=people.district_reviewer, task_id=open_task_of(awarded).task_id)
    appraisal_approve(actor=people.province_reviewer, task_id=open_task_of(awarded).task_id)
    decision = decision_sign(actor=people.chairman, nominations=[awarded])
    certificate = Certificate.objects.get(nomination=awarded)
    today = timezone.localdate()
    honour_round = open_dong_khoi_round(
        people.province_reviewer,
        year=today.year,
        opens_on=today - timedelta(days=1),
        closes_on=today + timedelta(days=10),
    )
    return {
        "round": honour_round,
        "returned": returned,
        "in_review": in_review,
        "posted": posted,
        "awarded": awarded,
        "decision": decision,
        "certificate": certificate,
    }


PUBLIC_PAGES = [
    "/cong-khai/",
    "/cong-khai/so-vang/",
    "/cong-dan-dong-khoi/",
    "/cong-khai/xac-minh/",
    "/accounts/login/",
]


def _pages(people, world):
    detail = "/de-nghi/{}/"
    return {
        "clerk": [
            "/",
            "/de-nghi/",
            "/de-nghi/moi/",
            "/de-nghi/moi/?route=fast_track",
            detail.format(world["returned"].pk),
            f"/de-nghi/{world['returned'].pk}/sua/",
            detail.format(world["awarded"].pk),
            "/notifications/",
            "/cong-dan-dong-khoi/dot-xet/",
            f"/cong-dan-dong-khoi/dot-xet/{world['round'].year}/de-nghi/",
        ],
        "head": ["/", detail.format(world["returned"].pk)],
        "district_reviewer": ["/", detail.format(world["in_review"].pk)],
        "province_reviewer": [
            "/",
            "/thong-ke/",
            detail.format(world["posted"].pk),
            "/cong-dan-dong-khoi/dot-xet/",
        ],
        "secretary": ["/"],
        "chairman": ["/", f"/quyet-dinh/{world['decision'].pk}/", detail.format(world["awarded"].pk)],
        "inspector": ["/", "/inspect/", f"/inspect/nominations/{world['awarded'].pk}/", "/thong-ke/"],
        None: [*PUBLIC_PAGES, f"/cong-khai/xac-minh/{world['certificate'].verification_code}/"],
    }


def _open(browser, live_server, user, viewport):
    context = browser.new_context(viewport=viewport, locale="vi-VN", bypass_csp=True)
    context.set_default_timeout(15000)
    page = context.new_page()
    if user is not None:
        page.goto(f"{live_server.url}/accounts/login/")
        page.fill("#id_username", user.username)
        page.fill("#id_password", PASSWORD)
        page.click("button[type=submit]")
        page.wait_for_url(f"{live_server.url}/")
    return context, page


def _overflow(page):
    """Return the elements sticking out of the viewport on the right (what makes the page scroll sideways)."""
    return page.evaluate(
        """() => {
        const width = document.documentElement.clientWidth;
        if (document.documentElement.scrollWidth <= width) return [];
        const out = [];
        for (const el of document.querySelectorAll('body *')) {
            const box = el.getBoundingClientRect();
            if (box.right > width + 0.5 && !el.closest('.table-wrap')) {
                out.push(`${el.tagName.toLowerCase()}.${el.className} ${Math.round(box.right)}px`);
            }
        }
        return [document.documentElement.scrollWidth + 'px', ...out.slice(0, 5)];
    }"""
    )


def _axe(page):
    """Run axe-core on the page; return its serious and critical violations (and prove it ran: some rules pass)."""
    page.evaluate(AXE)
    result = page.evaluate(
        """async () => {
        const r = await axe.run(document, {resultTypes: ['violations']});
        return {passes: r.passes.length, violations: r.violations
            .filter(v => v.impact === 'serious' || v.impact === 'critical')
            .map(v => `${v.impact} ${v.id}: ${v.nodes.slice(0, 3).map(n => n.target.join(' ')).join(', ')}`)};
    }"""
    )
    assert result["passes"] > 0
    return result["violations"]


def test_the_scan_would_see_a_serious_violation(browser, live_server):
    context, page = _open(browser, live_server, None, PHONE)
    try:
        page.goto(f"{live_server.url}/cong-khai/")
        page.evaluate("document.querySelector('main').insertAdjacentHTML('beforeend', '<img src=\"x.png\">')")
        assert any(v.startswith("critical image-alt") for v in _axe(page))
    finally:
        context.close()


def test_no_main_page_is_wider_than_a_phone_and_none_has_a_serious_accessibility_violation(
    tpeople, browser, live_server, screenshot
):
    people = tpeople
    world = _world(people)
    too_wide, inaccessible = {}, {}
    for persona, paths in _pages(people, world).items():
        user = getattr(people, persona) if persona else None
        name = persona or "public"
        context, page = _open(browser, live_server, user, PHONE)
        try:
            for path in paths:
                response = page.goto(f"{live_server.url}{path}")
                assert response.status < 400, (name, path, response.status)
                shot = f"22-reach-{name}-{path.strip('/').replace('/', '-').replace('?', '-') or 'home'}"
                sticking_out = _overflow(page)
                if sticking_out:
                    too_wide[f"{name} {path}"] = sticking_out
                    screenshot(page, f"{shot}-too-wide")
                violations = _axe(page)
                if violations:
                    inaccessible[f"{name} {path}"] = violations
        finally:
            context.close()
    assert not too_wide, pformat(too_wide)
    assert not inaccessible, pformat(inaccessible)
