"""PAdES digital signatures of decisions (pyHanko): sign the rendered PDF with the signer's PKCS#12 certificate,
validate a signed PDF against the trusted roots, and the demo PKI that `seed_demo` creates.

The trusted roots are the PEM certificates stored under `signers/roots/` (the admin uploads the provincial CA there;
`seed_demo` writes its demo CA). A signature is "valid" when the signed bytes are intact, the CMS signature verifies
and the signer's certificate chains to a trusted root.
"""

import io
import logging
import os
import tempfile
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils.translation import gettext as _

from approvals.models import SignerProfile

logger = logging.getLogger(__name__)

ROOTS_DIR = "signers/roots"


@dataclass(frozen=True)
class SignatureCheck:
    """The result of validating a decision PDF's signature, in words a reader understands."""

    is_signed: bool
    is_valid: bool
    signer: str = ""
    signed_at: object = None
    message: str = ""


def signer_profile_with_key(decision):
    """The signer's active profile for the issuer when it holds a PKCS#12 file, or None."""
    profile = SignerProfile.objects.filter(
        user=decision.signer, issuer=decision.issuer, is_active=True
    ).first()
    return profile if profile and profile.pkcs12 else None


def _signer(profile):
    from pyhanko.sign import signers

    with profile.pkcs12.open("rb") as handle:
        data = handle.read()
    fd, path = tempfile.mkstemp(suffix=".p12")  # pyHanko reads a path
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(data)
        passphrase = profile.pkcs12_passphrase.encode() if profile.pkcs12_passphrase else None
        return signers.SimpleSigner.load_pkcs12(path, passphrase=passphrase)
    finally:
        os.unlink(path)


def pdf_sign(pdf, profile, *, reason="Ký ban hành quyết định", location=""):
    """Return `pdf` with a PAdES (ETSI.CAdES.detached) signature by `profile`'s certificate."""
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import fields, signers

    signer = _signer(profile)
    if signer is None:
        raise ValueError("PKCS#12 file could not be opened")
    writer = IncrementalPdfFileWriter(io.BytesIO(pdf))
    meta = signers.PdfSignatureMetadata(
        field_name="ChuKySo",
        reason=reason,
        location=location,
        subfilter=fields.SigSeedSubFilter.PADES,
        md_algorithm="sha256",
    )
    out = signers.sign_pdf(writer, meta, signer=signer)
    return out.getvalue()


def trusted_roots():
    from pyhanko.keys import load_certs_from_pemder_data

    roots = []
    try:
        _dirs, files = default_storage.listdir(ROOTS_DIR)
    except FileNotFoundError:
        return roots
    for name in sorted(files):
        if name.endswith((".pem", ".crt", ".cer")):
            with default_storage.open(f"{ROOTS_DIR}/{name}", "rb") as handle:
                roots.extend(load_certs_from_pemder_data(handle.read()))
    return roots


def pdf_signature_check(pdf):
    """Validate the (first) signature of `pdf`; never raises on a bad file."""
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko_certvalidator import ValidationContext

    try:
        reader = PdfFileReader(io.BytesIO(pdf), strict=False)
        signatures = reader.embedded_signatures
    except Exception:  # a damaged file is an invalid document, not a server error
        logger.info("unreadable PDF while validating a signature", exc_info=True)
        return SignatureCheck(is_signed=True, is_valid=False, message=_("Tệp đã bị thay đổi hoặc hỏng."))
    if not signatures:
        return SignatureCheck(is_signed=False, is_valid=False, message=_("Văn bản không có chữ ký số."))
    context = ValidationContext(
        trust_roots=trusted_roots(), allow_fetching=False, revocation_mode="soft-fail"
    )
    try:
        status = validate_pdf_signature(signatures[0], context)
    except Exception:
        logger.info("signature validation failed", exc_info=True)
        return SignatureCheck(is_signed=True, is_valid=False, message=_("Chữ ký số không hợp lệ."))
    signer = status.signing_cert.subject.native.get("common_name", "") if status.signing_cert else ""
    valid = bool(status.bottom_line) and status.coverage is not None and _covers_whole_file(status)
    if valid:
        message = _("Chữ ký số hợp lệ")
    elif not status.intact or not status.valid:
        message = _("Chữ ký số không hợp lệ: văn bản đã bị thay đổi sau khi ký.")
    elif not status.trusted:
        message = _("Chữ ký số không hợp lệ: chứng thư số không thuộc tổ chức cung cấp dịch vụ tin cậy.")
    else:
        message = _("Chữ ký số không hợp lệ: văn bản bị sửa đổi sau khi ký.")
    return SignatureCheck(
        is_signed=True, is_valid=valid, signer=signer, signed_at=status.signer_reported_dt, message=message
    )


def _covers_whole_file(status):
    from pyhanko.sign.validation.status import SignatureCoverageLevel

    return status.coverage == SignatureCoverageLevel.ENTIRE_FILE


# ----------------------------------------------------------------------------------------------- demo PKI
def _name(common_name):
    from cryptography import x509
    from cryptography.x509.oid import NameOID

    return x509.Name(
        [
            x509.NameAttribute(NameOID.COUNTRY_NAME, "VN"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Demo Thi đua – Khen thưởng"),
            x509.NameAttribute(NameOID.COMMON_NAME, common_name),
        ]
    )


def demo_ca_build():
    """Return (ca_key, ca_cert) of a demo root CA (RSA 2048, ten years)."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.asymmetric import rsa

    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    now = datetime.now(UTC)
    name = _name("DEMO CA – KHÔNG DÙNG THẬT")
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(days=1))
        .not_valid_after(now + timedelta(days=3650))
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=False,
                content_commitment=False,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=True,
                crl_sign=True,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .sign(key, hashes.SHA256())
    )
    return key, cert


def demo_signer_pkcs12(ca_key, ca_cert, common_name, passphrase):
    """Return PKCS#12 bytes holding a signing key and certificate issued by the demo CA (two years)."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import rsa
    from cryptography.hazmat.primitives.serialization import pkcs12

    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    now = datetime.now(UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(_name(common_name))
        .issuer_name(ca_cert.subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(days=1))
        .not_valid_after(now + timedelta(days=730))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=True,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=False,
                crl_sign=False,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_cert.public_key()), critical=False
        )
        .sign(ca_key, hashes.SHA256())
    )
    encryption = serialization.BestAvailableEncryption(passphrase.encode())
    return pkcs12.serialize_key_and_certificates(common_name.encode(), key, cert, [ca_cert], encryption)


def demo_pki_install(*, signers, passphrase):
    """Create the demo CA (stored as a trusted root) and one PKCS#12 per (user, issuer, position) in `signers`,
    recorded as their SignerProfile. Idempotent: profiles that already hold a key are left alone."""
    from cryptography.hazmat.primitives import serialization

    pending = [
        (user, issuer, position)
        for user, issuer, position in signers
        if not SignerProfile.objects.filter(user=user, issuer=issuer).exclude(pkcs12="").exists()
    ]
    if not pending:
        return 0
    ca_key, ca_cert = demo_ca_build()
    root_name = f"{ROOTS_DIR}/demo-ca-{ca_cert.serial_number:x}.pem"
    default_storage.save(root_name, ContentFile(ca_cert.public_bytes(serialization.Encoding.PEM)))
    for user, issuer, position in pending:
        data = demo_signer_pkcs12(ca_key, ca_cert, user.get_full_name() or user.username, passphrase)
        profile, _created = SignerProfile.objects.get_or_create(
            user=user, issuer=issuer, defaults={"position": position}
        )
        profile.pkcs12.save(f"{user.username}.p12", ContentFile(data), save=False)
        profile.pkcs12_passphrase = passphrase
        profile.save()
    return len(pending)
