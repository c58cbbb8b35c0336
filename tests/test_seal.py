"""Sealing: a sealed example verifies, stays PDF/A, and any change to it is reported."""

from __future__ import annotations

import io
import re
from datetime import datetime, timedelta, timezone

import pikepdf
import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import NameOID

from generator.pdfa import check_pdfa
from generator.seal import SealError, check_seal, seal_pdf
from generator.writers.pdf import render_pdf
from tests.test_pdfa import example_documents, preflight

SIGNER = "Chancery Test Seal"
PASSPHRASE = b"correct horse"
LEVELS = ("1b", "2b")


def make_pkcs12(common_name: str = SIGNER, passphrase: bytes | None = PASSPHRASE) -> bytes:
    """Return a throwaway self-signed certificate and its RSA key as a PKCS#12 file."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common_name),
                      x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Test Secretariat")])
    start = datetime.now(timezone.utc) - timedelta(days=1)
    usage = x509.KeyUsage(digital_signature=True, content_commitment=True,
                          key_encipherment=False, data_encipherment=False, key_agreement=False,
                          key_cert_sign=False, crl_sign=False, encipher_only=False,
                          decipher_only=False)
    certificate = (x509.CertificateBuilder().subject_name(name).issuer_name(name)
                   .public_key(key.public_key()).serial_number(x509.random_serial_number())
                   .not_valid_before(start).not_valid_after(start + timedelta(days=30))
                   .add_extension(usage, critical=True).sign(key, hashes.SHA256()))
    encryption = (serialization.BestAvailableEncryption(passphrase) if passphrase
                  else serialization.NoEncryption())
    return pkcs12.serialize_key_and_certificates(b"seal", key, certificate, None, encryption)


@pytest.fixture(scope="module")
def key() -> bytes:
    return make_pkcs12()


@pytest.fixture(scope="module")
def originals() -> dict[str, bytes]:
    """Return the first example's outcome protocol (or first edition) in 1b and 2b."""
    documents = dict(example_documents())
    name = next((name for name in documents if "protocol" in name), next(iter(documents)))
    return {level: render_pdf(documents[name], level) for level in LEVELS}


@pytest.fixture(scope="module")
def sealed(originals, key) -> dict[str, bytes]:
    return {level: seal_pdf(data, key, PASSPHRASE, reason="Archived copy")
            for level, data in originals.items()}


def flip(data: bytes, offset: int) -> bytes:
    """Return the bytes with the one at offset changed."""
    return data[:offset] + bytes([data[offset] ^ 0x01]) + data[offset + 1:]


def signed_ranges(data: bytes) -> list[tuple[int, int]]:
    """Return the byte ranges the last signature covers, as (start, end)."""
    *_, match = re.finditer(rb"/ByteRange\s*\[\s*(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s*\]", data)
    a, b, c, d = map(int, match.groups())
    return [(a, a + b), (c, c + d)]


def covered(data: bytes, offset: int) -> bool:
    return any(start <= offset < end for start, end in signed_ranges(data))


# --- a sealed file --------------------------------------------------------------------------


@pytest.mark.parametrize("level", LEVELS)
def test_sealed_file_is_sealed_and_intact(sealed, level):
    report = check_seal(sealed[level])
    assert report.sealed and report.intact, report.problems
    assert report.signer == SIGNER
    assert report.problems == ()
    moment = datetime.fromisoformat(report.signed_at)
    assert moment.tzinfo is not None
    assert abs(datetime.now(timezone.utc) - moment) < timedelta(minutes=10)


@pytest.mark.parametrize("level", LEVELS)
def test_sealing_appends_an_invisible_pades_signature(originals, sealed, level):
    data = sealed[level]
    assert data.startswith(originals[level])  # an incremental update: the original is kept
    with pikepdf.open(io.BytesIO(data)) as pdf:
        (field,) = pdf.Root.AcroForm.Fields
        assert field.FT == "/Sig" and field.T == "Seal"
        assert [float(x) for x in field.Rect] == [0, 0, 0, 0]
        assert field.V.SubFilter == "/ETSI.CAdES.detached" and field.V.Reason == "Archived copy"
        assert "/M" in field.V


@pytest.mark.parametrize("level", LEVELS)
def test_sealed_file_stays_pdfa(originals, sealed, level):
    assert check_pdfa(sealed[level], level) == []
    with pikepdf.open(io.BytesIO(originals[level])) as before, \
            pikepdf.open(io.BytesIO(sealed[level])) as after:
        assert dict(after.docinfo.items()) == dict(before.docinfo.items())
        assert after.Root.Metadata.read_bytes() == before.Root.Metadata.read_bytes()


def test_sealed_1b_file_passes_preflight(sealed, tmp_path):
    errors = preflight({"sealed-1b": sealed["1b"]}, tmp_path)
    assert errors == {"sealed-1b": []}


def test_second_seal_keeps_the_first_intact(sealed):
    second = seal_pdf(sealed["2b"], make_pkcs12("Second Signer", None), None)
    report = check_seal(second)
    assert report.sealed and report.intact, report.problems
    assert report.signer == "Second Signer"
    assert check_pdfa(second, "2b") == []


# --- a changed file -------------------------------------------------------------------------


@pytest.mark.parametrize("level", LEVELS)
def test_flipped_byte_in_a_content_stream_is_caught(sealed, level):
    data = sealed[level]
    with pikepdf.open(io.BytesIO(data)) as pdf:
        number = pdf.pages[0].Contents.objgen[0]
    start = data.index(b"stream", data.index(b"\n%d 0 obj" % number)) + len(b"stream\n") + 10
    assert covered(data, start)
    report = check_seal(flip(data, start))
    assert report.sealed and not report.intact
    assert report.problems == (
        f"the seal by {SIGNER} no longer matches the file: the sealed content was changed",)


def test_flipped_byte_in_the_information_is_caught(sealed):
    data = sealed["2b"]
    offset = data.index(b"/Title (") + len(b"/Title (") + 1
    assert covered(data, offset)
    report = check_seal(flip(data, offset))
    assert report.sealed and not report.intact
    assert "the sealed content was changed" in report.problems[0]


def test_appended_update_that_changes_a_page_is_caught(sealed):
    from pyhanko.pdf_utils import generic
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter

    writer = IncrementalPdfFileWriter(io.BytesIO(sealed["2b"]))
    page_ref, _ = writer.find_page_for_modification(0)
    page = page_ref.get_object()
    page[generic.pdf_name("/Rotate")] = generic.NumberObject(90)
    writer.update_container(page)
    output = io.BytesIO()
    writer.write(output)
    changed = output.getvalue()
    assert changed.startswith(sealed["2b"]) and len(changed) > len(sealed["2b"])
    report = check_seal(changed)
    assert report.sealed and not report.intact
    (problem,) = report.problems
    assert problem.startswith("the file was changed after it was sealed:")
    assert f"{len(changed) - len(sealed['2b'])} bytes were added" in problem


def test_page_changed_and_sealed_again_is_caught(sealed):
    """A second seal does not launder a change made between the two seals."""
    from pyhanko.pdf_utils import generic
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter

    writer = IncrementalPdfFileWriter(io.BytesIO(sealed["2b"]))
    page_ref, _ = writer.find_page_for_modification(0)
    page = page_ref.get_object()
    page[generic.pdf_name("/MediaBox")] = generic.ArrayObject(
        [generic.NumberObject(n) for n in (0, 0, 300, 300)])
    writer.update_container(page)
    output = io.BytesIO()
    writer.write(output)
    resealed = seal_pdf(output.getvalue(), make_pkcs12("Someone Else", None))
    report = check_seal(resealed)
    assert report.sealed and not report.intact
    assert report.problems == (
        (f"the file was changed after the seal by {SIGNER} in more ways than adding another "
         "seal"),)


def test_unsealed_file_is_not_sealed(originals):
    report = check_seal(originals["2b"])
    assert not report.sealed and not report.intact
    assert report.signer == report.signed_at == ""
    assert report.problems == ("the file carries no seal",)


def test_garbage_is_not_intact():
    report = check_seal(b"%PDF-1.4\nnot really")
    assert not report.sealed and not report.intact and report.problems


# --- keys and files that cannot be sealed with ----------------------------------------------


def test_wrong_passphrase_raises(originals, key):
    with pytest.raises(SealError, match="passphrase does not open the key file"):
        seal_pdf(originals["2b"], key, b"wrong")


def test_missing_passphrase_raises(originals, key):
    with pytest.raises(SealError, match="protected by a passphrase"):
        seal_pdf(originals["2b"], key)


def test_garbage_key_file_raises(originals):
    with pytest.raises(SealError, match="not a PKCS#12"):
        seal_pdf(originals["2b"], b"-----BEGIN NOTHING-----\n", PASSPHRASE)


def test_certificate_without_key_raises(originals):
    certificate = x509.load_der_x509_certificate(
        pkcs12.load_key_and_certificates(make_pkcs12(passphrase=None), None)[1].public_bytes(
            serialization.Encoding.DER))
    only_certificate = pkcs12.serialize_key_and_certificates(
        b"cert", None, certificate, None, serialization.NoEncryption())
    with pytest.raises(SealError, match="no private key"):
        seal_pdf(originals["2b"], only_certificate)


def test_not_a_pdf_raises(key):
    with pytest.raises(SealError, match="not a PDF"):
        seal_pdf(b"hello", key, PASSPHRASE)
