"""Sealing: an invisible PAdES B-B signature that makes any later change to a PDF detectable."""

from __future__ import annotations

import io
from dataclasses import dataclass


class SealError(Exception):
    """A file or key that cannot be sealed with: what is wrong, in the user's words."""


@dataclass(frozen=True)
class SealReport:
    """What a file's seal says about the file."""

    sealed: bool
    """The file carries a signature."""
    intact: bool
    """Every signature's digest matches and the last one covers the whole file (nothing changed
    or appended after sealing)."""
    signer: str
    """The signing certificate's subject common name, or "" if not sealed."""
    signed_at: str
    """The ISO 8601 signing time from the signature, or ""."""
    problems: tuple[str, ...]
    """Readable reasons when not intact."""


FIELD_NAME = "Seal"
"""The name of the invisible signature field; a second seal gets "Seal 2", and so on."""


def seal_pdf(data: bytes, pkcs12: bytes, passphrase: bytes | None = None,
             reason: str | None = None) -> bytes:
    """Return the PDF sealed with the key and certificate in the PKCS#12 file: an invisible
    PAdES baseline B-B signature (no timestamp) appended as an incremental update, which
    leaves the document information, XMP and PDF/A conformance as they were. Raise SealError
    when the key or the file cannot be used."""
    from pyhanko.pdf_utils import generic
    from pyhanko.pdf_utils.misc import PdfError
    from pyhanko.sign import fields, signers
    from pyhanko.sign.general import SigningError

    signer = load_signer(pkcs12, passphrase)
    writer = open_writer(data)
    taken = {name for name, _, _ in fields.enumerate_sig_fields(writer.prev)}
    name, number = FIELD_NAME, 1
    while name in taken:
        number += 1
        name = f"{FIELD_NAME} {number}"
    try:
        fields.append_signature_field(writer, fields.SigFieldSpec(name))
        widget = next(field for field in writer.root["/AcroForm"]["/Fields"]
                      if field.get_object().get("/T") == name).get_object()
        # PDF/A wants an appearance on every widget, even a zero-sized one
        empty = generic.StreamObject({
            generic.pdf_name("/Type"): generic.pdf_name("/XObject"),
            generic.pdf_name("/Subtype"): generic.pdf_name("/Form"),
            generic.pdf_name("/BBox"): generic.ArrayObject([generic.NumberObject(0)] * 4),
        }, stream_data=b"")
        widget[generic.pdf_name("/AP")] = generic.DictionaryObject(
            {generic.pdf_name("/N"): writer.add_object(empty)})
        metadata = signers.PdfSignatureMetadata(
            field_name=name, reason=reason, md_algorithm="sha256",
            subfilter=fields.SigSeedSubFilter.PADES)
        output = io.BytesIO()
        signers.PdfSigner(metadata, signer).sign_pdf(writer, output=output)
    except (PdfError, SigningError, ValueError, KeyError) as error:
        raise SealError(f"the file cannot be sealed: {error}") from None
    return output.getvalue()


def load_signer(pkcs12: bytes, passphrase: bytes | None):
    """Return a pyHanko signer for the key and certificate in a PKCS#12 file; raise SealError
    saying what is wrong with the file or the passphrase."""
    from cryptography.hazmat.primitives.serialization import pkcs12 as pkcs12_format
    from pyhanko.sign import signers

    if isinstance(passphrase, str):
        passphrase = passphrase.encode("utf-8")
    try:
        key, certificate, _ = pkcs12_format.load_key_and_certificates(pkcs12, passphrase)
    except (ValueError, TypeError):
        if not is_pkcs12(pkcs12):
            raise SealError("the key file is not a PKCS#12 (.p12, .pfx) file") from None
        if passphrase is None:
            raise SealError("the key file is protected by a passphrase: give it") from None
        raise SealError("the passphrase does not open the key file (or the file is "
                        "damaged)") from None
    if key is None:
        raise SealError("the key file holds no private key")
    if certificate is None:
        raise SealError("the key file holds no certificate")
    try:
        return signers.SimpleSigner.load_pkcs12_data(pkcs12, other_certs=(),
                                                     passphrase=passphrase)
    except (ValueError, TypeError) as error:
        raise SealError(f"the key in the key file cannot sign: {error}") from None


def is_pkcs12(data: bytes) -> bool:
    """Return whether the bytes have the structure of a PKCS#12 file."""
    from asn1crypto import pkcs12 as asn1_pkcs12

    try:
        pfx = asn1_pkcs12.Pfx.load(data, strict=True)
        return pfx["auth_safe"]["content_type"].native is not None  # parsing is lazy: force it
    except Exception:  # asn1crypto raises many kinds of errors on arbitrary bytes
        return False


def open_writer(data: bytes):
    """Return an incremental writer over the PDF that leaves its metadata alone; raise
    SealError when the bytes are not a PDF that can be sealed."""
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.pdf_utils.misc import PdfError

    class ArchiveWriter(IncrementalPdfFileWriter):
        """pyHanko would add itself to /Producer and rewrite the XMP its own way, so that the
        two no longer agree, which PDF/A forbids: leave both as they are."""

        def _update_meta(self) -> None:
            pass

    if not data.lstrip()[:5] == b"%PDF-":
        raise SealError("the file is not a PDF")
    try:
        writer = ArchiveWriter(io.BytesIO(data), strict=False)
    except (PdfError, ValueError, KeyError, IndexError) as error:
        raise SealError(f"the file cannot be read as PDF: {error}") from None
    if writer.prev.encrypted:
        raise SealError("the file is encrypted: an archived PDF must not be")
    return writer


def check_seal(data: bytes) -> SealReport:
    """Return what the PDF's signatures say: whether it is sealed, whether every seal still
    matches the file and the last one covers all of it, who sealed it and when. Whether the
    signer's certificate is trusted is not judged."""
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.diff_analysis import DEFAULT_DIFF_POLICY, DiffResult, ModificationLevel
    from pyhanko.sign.validation.generic_cms import validate_sig_integrity
    from pyhanko.sign.validation.pdf_embedded import SignatureCoverageLevel

    try:
        signatures = PdfFileReader(io.BytesIO(data), strict=False).embedded_signatures
    except Exception as error:  # a damaged file can fail anywhere in the reader
        sealed = b"/ByteRange" in data
        return SealReport(sealed, False, "", "",
                          (f"the file cannot be read as PDF: {describe(error)}",))
    if not signatures:
        return SealReport(False, False, "", "", ("the file carries no seal",))
    problems: list[str] = []
    signer = signed_at = ""
    for number, signature in enumerate(signatures, 1):
        last = number == len(signatures)
        try:
            certificate = signature.signer_cert
            signer = common_name(certificate)
            moment = signature.self_reported_timestamp
            signed_at = moment.isoformat() if moment else ""
            content_type = signature.signed_data["encap_content_info"]["content_type"].native
            matches, valid = validate_sig_integrity(
                signature.signer_info, certificate, content_type, signature.compute_digest())
            signature.compute_integrity_info(DEFAULT_DIFF_POLICY, skip_diff=last)
            coverage, changes = signature.coverage, signature.diff_result
        except Exception as error:  # a damaged signature can fail anywhere in the CMS code
            problems.append(f"seal {number} cannot be read: {describe(error)}")
            continue
        label = f"the seal by {signer or 'an unnamed signer'}"
        if not matches:
            problems.append(f"{label} no longer matches the file: the sealed content was "
                            "changed")
        elif not valid:
            problems.append(f"{label} is not a valid signature of the sealed content")
        if last and coverage == SignatureCoverageLevel.ENTIRE_REVISION:
            added = len(data) - int(signature.byte_range[2]) - int(signature.byte_range[3])
            problems.append(f"the file was changed after it was sealed: {added} bytes were "
                            f"added after {label}")
        elif coverage not in (SignatureCoverageLevel.ENTIRE_FILE,
                              SignatureCoverageLevel.ENTIRE_REVISION) or (
                last and coverage != SignatureCoverageLevel.ENTIRE_FILE):
            problems.append(f"{label} does not cover the whole file as it was when sealed")
        if changes is not None and (not isinstance(changes, DiffResult)
                                    or changes.modification_level == ModificationLevel.OTHER):
            problems.append(f"the file was changed after {label} in more ways than adding "
                            "another seal")
    return SealReport(True, not problems, signer, signed_at, tuple(problems))


def describe(error: Exception) -> str:
    """Return the error's message, or its kind when it has none."""
    return str(error) or type(error).__name__


def common_name(certificate) -> str:
    """Return the subject common name of an asn1crypto certificate, or "" if it has none."""
    name = certificate.subject.native.get("common_name", "")
    return name[0] if isinstance(name, list) else str(name)
