"""PDF/A: every example renders as PDF/A-1b and -2b, the self-check passes on them and fails on
what is not PDF/A, and Apache PDFBox Preflight accepts every example built in 1b."""

from __future__ import annotations

import io
import shutil
import subprocess
from datetime import datetime
from pathlib import Path
from xml.etree import ElementTree

import pikepdf
import pytest
from pikepdf import Dictionary, Name
from pypdf import PdfReader

from generator.build import available_documents, editions, make_document
from generator.inputs import load_meeting
from generator.pdfa import check_pdfa, parse_pdf_date
from generator.templating import default_templates
from generator.writers.pdf import render_pdf
from tests.sample_document import sample_document
from tests import tools
from tests.tools import missing_tool

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = tools.reportlab_examples(ROOT)
LEVELS = ("1b", "2b")

PREFLIGHT_PACKAGES = ("libpdfbox2-java", "libfontbox2-java", "libcommons-logging-java",
                      "libactivation-java", "libjaxb-api-java")
PREFLIGHT_JARS = ("preflight", "pdfbox2", "fontbox2", "xmpbox", "commons-logging",
                  "javax.activation", "jaxb-api")


def example_documents():
    """Yield (name, document model) for every edition a default build of an example writes."""
    for source in EXAMPLES:
        loaded = load_meeting(str(source))
        for edition in editions(loaded, available_documents(loaded)):
            yield (f"{loaded.meeting.id}-{edition.stem}",
                   make_document(loaded, edition, default_templates())[0])


@pytest.fixture(scope="module")
def examples() -> dict[tuple[str, str], bytes]:
    """Return {(edition name, level): PDF bytes} for every example edition in 1b and 2b."""
    return {(name, level): render_pdf(document, level)
            for name, document in example_documents() for level in LEVELS}


EXAMPLE_NAMES = [name for name, _ in example_documents()]


@pytest.fixture(scope="module")
def good() -> bytes:
    """Return a sample document as PDF/A-2b."""
    return render_pdf(sample_document(), "2b")


def edit(data: bytes, change) -> bytes:
    """Return the PDF after change(pdf) edits it with pikepdf."""
    with pikepdf.open(io.BytesIO(data)) as pdf:
        change(pdf)
        buffer = io.BytesIO()
        pdf.save(buffer, fix_metadata_version=False)
    return buffer.getvalue()


# --- every example is PDF/A -----------------------------------------------------------------


@pytest.mark.parametrize("level", LEVELS)
@pytest.mark.parametrize("name", EXAMPLE_NAMES)
def test_every_example_passes_the_self_check(examples, name, level):
    assert check_pdfa(examples[name, level], level) == []


@pytest.mark.parametrize("name", EXAMPLE_NAMES)
def test_level_is_identified_and_checked(examples, name):
    assert check_pdfa(examples[name, "2b"], "1b") == ["XMP pdfaid:part is '2', not '1'"]
    assert check_pdfa(examples[name, "1b"], "2b") == ["XMP pdfaid:part is '1', not '2'"]


def test_xmp_says_what_the_document_information_says(good):
    """Read with pikepdf's own XMP reader, not the self-check's."""
    document = sample_document()
    with pikepdf.open(io.BytesIO(good)) as pdf:
        info = pdf.docinfo
        meta = pdf.open_metadata()
        assert meta["dc:title"] == str(info.Title) == document.metadata.title
        assert meta["dc:creator"] == [str(info.Author)] == [document.metadata.author]
        assert meta["dc:description"] == str(info.Subject) == document.metadata.subject
        assert meta["pdf:Keywords"] == str(info.Keywords) == ", ".join(document.metadata.keywords)
        assert meta["pdf:Producer"] == str(info.Producer)
        assert meta["xmp:CreatorTool"] == str(info.Creator) == "chancery"
        created = parse_pdf_date(str(info.CreationDate))
        assert created == document.metadata.created
        for prop, key in (("xmp:CreateDate", "/CreationDate"), ("xmp:ModifyDate", "/ModDate"),
                          ("xmp:MetadataDate", "/ModDate")):
            assert datetime.fromisoformat(meta[prop]) == parse_pdf_date(str(info[key]))
        assert meta["dc:language"] == {"en"} == {str(pdf.Root.Lang)}
        assert meta["pdfaid:part"] == "2" and meta["pdfaid:conformance"] == "B"
        assert "pikepdf" not in str(pdf.Root.Metadata.read_bytes())


def test_output_intent_carries_the_shipped_srgb_profile(good):
    shipped = (ROOT / "generator" / "resources" / "sRGB.icc").read_bytes()
    with pikepdf.open(io.BytesIO(good)) as pdf:
        (intent,) = pdf.Root.OutputIntents
        assert intent.S == Name.GTS_PDFA1
        assert intent.DestOutputProfile.read_bytes() == shipped
        assert shipped[36:40] == b"acsp" and shipped[8] == 2  # an ICC profile, version 2


def test_links_are_printable(good):
    with pikepdf.open(io.BytesIO(good)) as pdf:
        annotations = [annotation for page in pdf.pages for annotation in page.get("/Annots", ())]
    assert annotations, "the sample has contents links"
    assert all(int(annotation.F) & 4 for annotation in annotations)


def test_plain_pdf_is_not_archival():
    data = render_pdf(sample_document(), "none")
    with pikepdf.open(io.BytesIO(data)) as pdf:
        assert "/OutputIntents" not in pdf.Root and "/Metadata" not in pdf.Root
    assert data.startswith(b"%PDF-1.4\n%\x93\x8c\x8b\x9e ReportLab")


def test_unknown_level_raises():
    with pytest.raises(ValueError, match="3u"):
        render_pdf(sample_document(rows=1), "3u")
    with pytest.raises(ValueError, match="3u"):
        check_pdfa(render_pdf(sample_document(rows=1)), "3u")


def test_pdfa_does_not_change_the_text():
    document = sample_document()
    texts = {level: [page.extract_text() for page in
                     PdfReader(io.BytesIO(render_pdf(document, level))).pages]
             for level in ("none", *LEVELS)}
    assert texts["none"] and texts["none"] == texts["1b"] == texts["2b"]


# --- the self-check can fail ----------------------------------------------------------------


def test_standard_14_font_fails():
    from reportlab.pdfgen.canvas import Canvas

    buffer = io.BytesIO()
    canvas = Canvas(buffer, invariant=1)
    canvas.setFont("Helvetica", 12)
    canvas.drawString(72, 720, "Not embedded")
    canvas.save()
    problems = check_pdfa(buffer.getvalue(), "2b")
    assert "font Helvetica (a standard-14 font) is not embedded" in problems
    assert any("OutputIntent" in problem for problem in problems)


def test_standard_14_font_in_an_annotation_fails(good):
    def add_annotation(pdf):
        font = Dictionary(Type=Name.Font, Subtype=Name.Type1, BaseFont=Name.Helvetica)
        appearance = pdf.make_stream(b"BT /Helv 10 Tf 2 2 Td (note) Tj ET", Type=Name.XObject,
                                     Subtype=Name.Form, BBox=[0, 0, 40, 14],
                                     Resources=Dictionary(Font=Dictionary(Helv=font)))
        pdf.pages[0].Annots.append(pdf.make_indirect(Dictionary(
            Type=Name.Annot, Subtype=Name.FreeText, Rect=[0, 0, 40, 14], F=4,
            Contents="note", DA="/Helv 10 Tf", AP=Dictionary(N=appearance))))

    assert check_pdfa(edit(good, add_annotation), "2b") == [
        "font Helvetica (a standard-14 font) is not embedded"]


def test_missing_output_intent_fails(good):
    def remove(pdf):
        del pdf.Root.OutputIntents

    assert check_pdfa(edit(good, remove), "2b") == [
        "no PDF/A OutputIntent (/OutputIntents with /S /GTS_PDFA1)"]


def test_output_intent_without_profile_fails(good):
    def remove(pdf):
        del pdf.Root.OutputIntents[0].DestOutputProfile

    assert check_pdfa(edit(good, remove), "2b") == [
        "the PDF/A OutputIntent has no embedded ICC profile (/DestOutputProfile)"]


def test_transparency_fails_1b_only(examples):
    name = EXAMPLE_NAMES[0]

    def add_alpha(pdf):
        resources = pdf.pages[0].Resources
        resources.ExtGState = Dictionary(GS9=Dictionary(Type=Name.ExtGState, ca=0.5))

    problems = check_pdfa(edit(examples[name, "1b"], add_alpha), "1b")
    assert problems == ["transparency: an alpha /ca 0.5 below 1, which PDF/A-1 forbids"]
    assert check_pdfa(edit(examples[name, "2b"], add_alpha), "2b") == []


def test_transparency_group_and_soft_mask_fail_1b(examples):
    def add_group(pdf):
        pdf.pages[0].Group = Dictionary(S=Name.Transparency, CS=Name.DeviceRGB)
        pdf.pages[0].Resources.ExtGState = Dictionary(
            GS9=Dictionary(Type=Name.ExtGState, SMask=Dictionary(S=Name.Luminosity)))

    problems = check_pdfa(edit(examples[EXAMPLE_NAMES[0], "1b"], add_group), "1b")
    assert "transparency: a transparency group, which PDF/A-1 forbids" in problems
    assert "transparency: a soft mask (/SMask), which PDF/A-1 forbids" in problems


def test_metadata_differing_from_the_information_fails(good):
    def retitle(pdf):
        pdf.docinfo.Title = "Another title"
        del pdf.docinfo.Producer

    problems = check_pdfa(edit(good, retitle), "2b")
    assert problems == [
        ("XMP dc:title 'Outcome Protocol' differs from the document information /Title "
         "'Another title'"),
        ("XMP pdf:Producer is 'ReportLab PDF Library - (opensource)' but the document "
         "information has no /Producer")]


def test_missing_metadata_fails(good):
    def remove(pdf):
        del pdf.Root.Metadata

    assert check_pdfa(edit(good, remove), "2b") == [
        "no XMP metadata stream (/Metadata in the catalog)"]


def test_unprintable_annotation_fails(good):
    def hide(pdf):
        for annotation in pdf.pages[0].Annots:
            annotation.F = 2

    problems = check_pdfa(edit(good, hide), "2b")
    assert "page 1: /Link annotations are not marked printable (Print flag)" in problems
    assert "page 1: /Link annotations are hidden (Hidden, Invisible or NoView flag)" in problems


def test_javascript_fails(good):
    def add_script(pdf):
        pdf.Root.OpenAction = Dictionary(S=Name.JavaScript, JS="app.alert('hello')")

    assert check_pdfa(edit(good, add_script), "2b") == [
        "the document has JavaScript (a /JavaScript action)"]


def test_encryption_fails(good):
    with pikepdf.open(io.BytesIO(good)) as pdf:
        buffer = io.BytesIO()
        pdf.save(buffer, encryption=pikepdf.Encryption(owner="owner", user=""))
    assert "the file is encrypted: PDF/A forbids encryption" in check_pdfa(buffer.getvalue(),
                                                                            "2b")


def test_not_a_pdf_fails():
    (problem,) = check_pdfa(b"not a PDF at all", "2b")
    assert problem.startswith("the file cannot be read as PDF")


# --- pikepdf's PDF/A validator -------------------------------------------------------------


def pdfa_validator():
    """Return pikepdf's allowlist PDF/A validator (pikepdf[pdfa], in the test extra); skip the
    test when its optional dependencies are missing, or fail it when CHANCERY_REQUIRE_TOOLS is
    set."""
    try:
        import pikepdf.pdfa
    except ImportError as error:
        message = f"pikepdf's PDF/A validator cannot run: {error} (pip install 'pikepdf[pdfa]')"
        missing_tool(message)
    return pikepdf.pdfa


@pytest.mark.parametrize("level", LEVELS)
def test_pikepdf_validator_approves_every_example(examples, level):
    """A second, independent opinion, and the only validator here that knows PDF/A-2b."""
    validator = pdfa_validator()
    verdicts = {name: validator.validate_written(io.BytesIO(examples[name, level]), level)
                for name in EXAMPLE_NAMES}
    assert {name: [f"{finding.rule}: {finding.message}" for finding in report.findings][:5]
            for name, report in verdicts.items() if report.verdict != "pass"} == {}
    plain = render_pdf(sample_document(rows=1), "none")
    assert validator.validate_written(io.BytesIO(plain), level).verdict != "pass"


# --- Apache PDFBox Preflight ----------------------------------------------------------------


def preflight_classpath() -> str:
    """Return the class path of Apache PDFBox Preflight; skip the test when Java or PDFBox is
    missing, or fail it when CHANCERY_REQUIRE_TOOLS is set (as in CI)."""
    missing = []
    if shutil.which("java") is None:
        missing.append("java (apt default-jre-headless)")
    jars: dict[str, str] = {}
    if shutil.which("dpkg") is not None:
        listing = subprocess.run(["dpkg", "-L", *PREFLIGHT_PACKAGES], check=False,
                                 capture_output=True, text=True).stdout
        for line in listing.splitlines():
            stem = Path(line).name.removesuffix(".jar")
            if line.endswith(".jar") and stem in PREFLIGHT_JARS:
                jars[stem] = line
    lacking = [jar for jar in PREFLIGHT_JARS if jar not in jars]
    if lacking:
        missing.append(f"PDFBox jars {', '.join(lacking)} (apt {' '.join(PREFLIGHT_PACKAGES)})")
    if missing:
        message = f"Apache PDFBox Preflight cannot run: missing {'; '.join(missing)}"
        missing_tool(message)
    return ":".join(jars[jar] for jar in PREFLIGHT_JARS)


def preflight(files: dict[str, bytes], folder: Path) -> dict[str, list[str]]:
    """Return {name: Preflight's errors} for each PDF (an empty list: a valid PDF/A-1b file),
    validated in one Java process."""
    classpath = preflight_classpath()
    paths = []
    for name, data in files.items():
        path = folder / f"{name}.pdf"
        path.write_bytes(data)
        paths.append(path)
    listing = folder / "files.txt"
    listing.write_text("".join(f"{path}\n" for path in paths))
    result = subprocess.run(
        ["java", "-cp", classpath, "org.apache.pdfbox.preflight.Validator_A1b", "xml", "group",
         str(listing)], check=False, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, f"Preflight exited {result.returncode}: {result.stderr}"
    output = folder / "files.txt.preflight.xml"  # where "group" mode writes its report
    assert output.exists(), f"Preflight wrote no report: {result.stdout} {result.stderr}"
    report = ElementTree.parse(output).getroot()
    errors = {}
    for entry in report.iter("preflight"):
        valid = entry.findtext("isValid")
        details = [f"{error.findtext('code')}: {error.findtext('details')}"
                   for error in entry.iter("error")]
        errors[entry.get("name").removesuffix(".pdf")] = [] if valid == "true" else (
            details or [f"not valid ({valid!r})"])
    assert sorted(errors) == sorted(files), output.read_text()[:2000]
    return errors


def test_preflight_accepts_every_example_in_1b(examples, tmp_path):
    files = {name: examples[name, "1b"] for name in EXAMPLE_NAMES}
    files["plain-control"] = render_pdf(sample_document(rows=1), "none")
    errors = preflight(files, tmp_path)
    assert errors.pop("plain-control"), "Preflight must reject a plain reportlab PDF"
    assert {name: problems[:5] for name, problems in errors.items() if problems} == {}


def test_preflight_says_the_file_is_valid(examples, tmp_path):
    """The plain command line, one file: exit code 0 and the verdict in words."""
    classpath = preflight_classpath()
    path = tmp_path / "example.pdf"
    path.write_bytes(examples[EXAMPLE_NAMES[0], "1b"])
    result = subprocess.run(["java", "-cp", classpath,
                             "org.apache.pdfbox.preflight.Validator_A1b", str(path)],
                            check=False, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout[:2000]
    assert "is a valid PDF/A-1b file" in result.stdout
