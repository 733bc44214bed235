"""Revocation of a signed award (Luật Thi đua, khen thưởng, ch. VII): opened by an inspector, decided by the issuer.

An inspector whose scope covers the issuing unit opens a revocation on one of the legal grounds with a statement and
optional evidence; an approver (signer) of the issuing unit approves or dismisses it. Approval marks the certificate,
the award history and the nomination revoked. Each step writes its audit event in its own transaction.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from approvals.models import Certificate, Revocation, RevocationGround, RevocationStatus
from audit.services import event_record
from nominations.models import AwardHistory, Nomination, Status
from nominations.process import Step
from nominations.services import nomination_move
from nominations.uploads import inspect_upload
from organisation.models import Role
from organisation.policy import scope_of


def revocations_visible_to(user):
    """Return the revocations `user` may see: as inspector of, or signer at, the issuing unit."""
    scope = scope_of(user)
    issuers = scope.units("inspect_unit") | scope.units("sign_decision")
    return Revocation.objects.filter(certificate__decision__issuer_id__in=issuers).select_related(
        "certificate__decision__issuer", "certificate__nomination__nominee", "opened_by", "decided_by"
    )


def can_open_revocation(user, certificate):
    return scope_of(user).can("inspect_unit", certificate.decision.issuer_id)


def can_decide_revocation(user, revocation):
    return scope_of(user).can("sign_decision", revocation.certificate.decision.issuer_id)


@transaction.atomic
def revocation_open(*, actor, certificate, ground, statement, evidence=None):
    """Open a revocation of `certificate` on a legal ground; the issuing unit's approver decides it next."""
    certificate = (
        Certificate.objects.select_for_update().select_related("decision__issuer").get(pk=certificate.pk)
    )
    issuer = certificate.decision.issuer
    if not scope_of(actor).can("inspect_unit", issuer.pk):
        raise PermissionDenied
    errors = {}
    if ground not in RevocationGround.values:
        errors["ground"] = _("Vui lòng chọn một căn cứ hủy bỏ, thu hồi theo quy định.")
    if not (statement or "").strip():
        errors["statement"] = _("Vui lòng nêu nội dung, kết luận dẫn đến đề nghị thu hồi.")
    if certificate.is_revoked:
        errors["certificate"] = _("Khen thưởng này đã bị hủy bỏ, thu hồi.")
    elif Revocation.objects.filter(certificate=certificate, status=RevocationStatus.OPEN).exists():
        errors["certificate"] = _("Đã có đề nghị thu hồi khen thưởng này đang chờ quyết định.")
    evidence_meta = {}
    if evidence is not None:
        try:
            name, content_type, size, sha256 = inspect_upload(evidence)
        except ValidationError as exc:
            errors["evidence"] = exc.messages
        else:
            evidence.name = name
            evidence_meta = {"name": name, "size": size, "sha256": sha256}
    if errors:
        raise ValidationError(errors)
    revocation = Revocation.objects.create(
        certificate=certificate,
        ground=ground,
        statement=statement.strip(),
        opened_by=actor,
        **({"evidence": evidence} if evidence is not None else {}),
    )
    event_record(
        action="revocation.open",
        actor=actor,
        obj=revocation,
        nomination_id=certificate.nomination_id,
        role=Role.INSPECTOR,
        unit_code=issuer.code,
        reason=revocation.statement,
        data={
            "ground": ground,
            "certificate": certificate.serial,
            "decision": certificate.decision.number,
            "evidence": evidence_meta,
        },
    )
    return revocation


@transaction.atomic
def revocation_decide(*, actor, revocation, approve, note):
    """Approve (the award is revoked) or dismiss an open revocation; only a signer of the issuing unit decides."""
    revocation = (
        Revocation.objects.select_for_update()
        .select_related("certificate__decision__issuer")
        .get(pk=revocation.pk)
    )
    certificate = revocation.certificate
    issuer = certificate.decision.issuer
    if not scope_of(actor).can("sign_decision", issuer.pk):
        raise PermissionDenied
    errors = {}
    if revocation.status != RevocationStatus.OPEN:
        errors["revocation"] = _("Đề nghị thu hồi này đã được quyết định.")
    if not (note or "").strip():
        errors["note"] = _("Vui lòng ghi ý kiến quyết định.")
    if errors:
        raise ValidationError(errors)
    now = timezone.now()
    revocation.status = RevocationStatus.APPROVED if approve else RevocationStatus.DISMISSED
    revocation.decided_by = actor
    revocation.decided_at = now
    revocation.decision_note = note.strip()
    revocation.save(update_fields=["status", "decided_by", "decided_at", "decision_note"])
    changes = {"revocation.status": [RevocationStatus.OPEN.value, revocation.status]}
    if approve:
        certificate = Certificate.objects.select_for_update().get(pk=certificate.pk)
        certificate.is_revoked = True
        certificate.revoked_at = now
        certificate.save(update_fields=["is_revoked", "revoked_at"])
        nomination = Nomination.objects.select_for_update().get(pk=certificate.nomination_id)
        changes["nomination.status"] = [nomination.status, Status.REVOKED.value]
        nomination_move(nomination, status=Status.REVOKED, step=Step.REVOKED)
        histories = AwardHistory.objects.filter(nomination_id=nomination.pk, is_revoked=False).update(
            is_revoked=True
        )
        changes["certificate.is_revoked"] = [False, True]
        changes["history.is_revoked"] = [False, True] if histories else None
    event_record(
        action="revocation.approve" if approve else "revocation.dismiss",
        actor=actor,
        obj=revocation,
        nomination_id=certificate.nomination_id,
        role=Role.APPROVER,
        unit_code=issuer.code,
        reason=revocation.decision_note,
        data={
            "certificate": certificate.serial,
            "decision": certificate.decision.number,
            "ground": revocation.ground,
            "changes": {k: v for k, v in changes.items() if v is not None},
        },
    )
    return revocation
