"""The archival step: a reportlab PDF made PDF/A-1b or PDF/A-2b, and a check of what that means."""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from datetime import datetime, timedelta, timezone
from functools import cache
from html import escape
from importlib.resources import files
from xml.etree import ElementTree

import pikepdf
from pikepdf import Array, Dictionary, Name, Stream, String

from generator.dates import pdf_date
from generator.document import Metadata

LEVELS = {"1b": ("1", "B"), "2b": ("2", "B")}
"""PDF/A level -> (pdfaid:part, pdfaid:conformance)."""

ICC_PROFILE = "sRGB.icc"
"""The sRGB ICC profile (version 2) shipped in generator/resources, zlib licence."""
OUTPUT_CONDITION = "sRGB IEC61966-2.1"

STANDARD_14 = {
    "Courier", "Courier-Bold", "Courier-Oblique", "Courier-BoldOblique", "Helvetica",
    "Helvetica-Bold", "Helvetica-Oblique", "Helvetica-BoldOblique", "Times-Roman", "Times-Bold",
    "Times-Italic", "Times-BoldItalic", "Symbol", "ZapfDingbats",
}
"""Fonts a PDF may name without embedding them, which PDF/A forbids."""

NAMESPACES = {
    "x": "adobe:ns:meta/",
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "dc": "http://purl.org/dc/elements/1.1/",
    "pdf": "http://ns.adobe.com/pdf/1.3/",
    "xmp": "http://ns.adobe.com/xap/1.0/",
    "pdfaid": "http://www.aiim.org/pdfa/ns/id/",
}
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"

PAIRS = (
    ("/Title", "dc:title"), ("/Author", "dc:creator"), ("/Subject", "dc:description"),
    ("/Keywords", "pdf:Keywords"), ("/Producer", "pdf:Producer"), ("/Creator", "xmp:CreatorTool"),
    ("/CreationDate", "xmp:CreateDate"), ("/ModDate", "xmp:ModifyDate"),
    ("/ModDate", "xmp:MetadataDate"),
)
"""Document information entry -> the XMP property that must say the same."""

FORBIDDEN_ACTIONS = {"/JavaScript", "/Launch", "/Sound", "/Movie", "/ResetForm", "/ImportData"}
FORBIDDEN_ANNOTATIONS = {"1b": {"/FileAttachment", "/Sound", "/Movie"},
                         "2b": {"/Sound", "/Movie", "/Screen", "/3D"}}
PRINT, HIDDEN_FLAGS = 4, 1 | 2 | 32  # annotation flags: Print; Invisible, Hidden, NoView


def archival(pdf: bytes, metadata: Metadata, level: str, ua: bool = False) -> bytes:
    """Return the PDF as PDF/A at the level ("1b" or "2b"): the document information from the
    metadata, the same in an XMP packet, an sRGB OutputIntent, printable annotations and a
    document ID computed from the content, so that the same input gives the same bytes; with
    ua=True the packet also says the file is PDF/UA-1 (a tagged PDF's claim)."""
    part, conformance = check_level(level)
    with pikepdf.open(io.BytesIO(pdf)) as document:
        info = document_information(metadata, str(document.docinfo.get("/Producer", "chancery")),
                                    str(document.docinfo.get("/Creator", "chancery")))
        docinfo = Dictionary({key: String(value) for key, value in info.items()})
        if "/Trapped" in document.docinfo:
            docinfo.Trapped = document.docinfo.Trapped
        document.trailer.Info = document.make_indirect(docinfo)
        document.Root.Metadata = document.make_stream(
            xmp_packet(info, metadata.language, part, conformance, ua),
            Type=Name.Metadata, Subtype=Name.XML)
        profile = document.make_stream(icc_profile(), N=3, Alternate=Name.DeviceRGB)
        document.Root.OutputIntents = Array([document.make_indirect(Dictionary(
            Type=Name.OutputIntent, S=Name.GTS_PDFA1, OutputConditionIdentifier=OUTPUT_CONDITION,
            Info=OUTPUT_CONDITION, RegistryName="http://www.color.org",
            DestOutputProfile=profile))])
        for page in document.pages:
            if page.obj.get("/Trans") == Dictionary():
                del page.obj.Trans  # reportlab writes an empty page transition: noise
            for annotation in page.get("/Annots", ()):
                annotation.F = int(annotation.get("/F", 0)) & ~HIDDEN_FLAGS | PRINT
        buffer = io.BytesIO()
        # PDF/A-1 predates object streams; fix_metadata_version would rewrite the XMP packet
        document.save(buffer, deterministic_id=True, fix_metadata_version=False,
                      object_stream_mode=pikepdf.ObjectStreamMode.disable)
    return buffer.getvalue()


def check_level(level: str) -> tuple[str, str]:
    """Return the pdfaid part and conformance of a PDF/A level ("1b" or "2b")."""
    try:
        return LEVELS[level]
    except KeyError:
        raise ValueError(f"unknown PDF/A level {level!r}: use one of "
                         f"{', '.join(sorted(LEVELS))}") from None


@cache
def icc_profile() -> bytes:
    """Return the sRGB ICC profile shipped in the package."""
    return files("generator").joinpath("resources").joinpath(ICC_PROFILE).read_bytes()


def document_information(metadata: Metadata, producer: str, creator: str) -> dict[str, str]:
    """Return the document information entries for the metadata; empty fields are left out."""
    date = pdf_date(metadata.created)
    info = {"/Title": metadata.title, "/Author": metadata.author, "/Subject": metadata.subject,
            "/Keywords": ", ".join(metadata.keywords), "/Creator": creator,
            "/Producer": producer, "/CreationDate": date, "/ModDate": date}
    return {key: value for key, value in info.items() if value}


def xmp_packet(info: dict[str, str], language: str, part: str, conformance: str,
               ua: bool = False) -> bytes:
    """Return an XMP packet that says what the document information entries say, with the
    language and the PDF/A identification (and the PDF/UA-1 one, with the extension schema
    PDF/A asks for it, when ua is true); the same arguments give the same bytes."""
    def text(value: str) -> str:
        return escape(value, quote=False)

    def alternative(value: str) -> str:
        return f'<rdf:Alt><rdf:li xml:lang="x-default">{text(value)}</rdf:li></rdf:Alt>'

    dc, pdf, xmp = [], [], []
    if "/Title" in info:
        dc.append(f"<dc:title>{alternative(info['/Title'])}</dc:title>")
    if "/Author" in info:
        dc.append(f"<dc:creator><rdf:Seq><rdf:li>{text(info['/Author'])}</rdf:li></rdf:Seq>"
                  "</dc:creator>")
    if "/Subject" in info:
        dc.append(f"<dc:description>{alternative(info['/Subject'])}</dc:description>")
    if language:
        dc.append(f"<dc:language><rdf:Bag><rdf:li>{text(language)}</rdf:li></rdf:Bag>"
                  "</dc:language>")
    for key, prop in (("/Keywords", "Keywords"), ("/Producer", "Producer")):
        if key in info:
            pdf.append(f"<pdf:{prop}>{text(info[key])}</pdf:{prop}>")
    if "/Creator" in info:
        xmp.append(f"<xmp:CreatorTool>{text(info['/Creator'])}</xmp:CreatorTool>")
    for key, props in (("/CreationDate", ("CreateDate",)),
                       ("/ModDate", ("ModifyDate", "MetadataDate"))):
        if key in info:
            moment = xmp_date(parse_pdf_date(info[key]))
            xmp += [f"<xmp:{prop}>{moment}</xmp:{prop}>" for prop in props]

    def description(prefix: str, properties: list[str]) -> str:
        inner = "".join(f"\n   {line}" for line in properties)
        return (f'  <rdf:Description rdf:about="" xmlns:{prefix}="{NAMESPACES[prefix]}">'
                f"{inner}\n  </rdf:Description>\n")

    body = "".join(description(prefix, properties) for prefix, properties in (
        ("dc", ["<dc:format>application/pdf</dc:format>", *dc]), ("pdf", pdf), ("xmp", xmp),
        ("pdfaid", [f"<pdfaid:part>{part}</pdfaid:part>",
                    f"<pdfaid:conformance>{conformance}</pdfaid:conformance>"]),
    ) if properties)
    if ua:
        body += UA_IDENTIFICATION
    return ('<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>\n'
            f'<x:xmpmeta xmlns:x="{NAMESPACES["x"]}">\n'
            f' <rdf:RDF xmlns:rdf="{NAMESPACES["rdf"]}">\n{body} </rdf:RDF>\n</x:xmpmeta>\n'
            '<?xpacket end="w"?>').encode()


UA_IDENTIFICATION = """\
  <rdf:Description rdf:about="" xmlns:pdfuaid="http://www.aiim.org/pdfua/ns/id/">
   <pdfuaid:part>1</pdfuaid:part>
  </rdf:Description>
  <rdf:Description rdf:about="" xmlns:pdfaExtension="http://www.aiim.org/pdfa/ns/extension/"
    xmlns:pdfaSchema="http://www.aiim.org/pdfa/ns/schema#"
    xmlns:pdfaProperty="http://www.aiim.org/pdfa/ns/property#">
   <pdfaExtension:schemas><rdf:Bag><rdf:li rdf:parseType="Resource">
    <pdfaSchema:schema>PDF/UA identification schema</pdfaSchema:schema>
    <pdfaSchema:namespaceURI>http://www.aiim.org/pdfua/ns/id/</pdfaSchema:namespaceURI>
    <pdfaSchema:prefix>pdfuaid</pdfaSchema:prefix>
    <pdfaSchema:property><rdf:Seq><rdf:li rdf:parseType="Resource">
     <pdfaProperty:name>part</pdfaProperty:name>
     <pdfaProperty:valueType>Integer</pdfaProperty:valueType>
     <pdfaProperty:category>internal</pdfaProperty:category>
     <pdfaProperty:description>Part of PDF/UA standard</pdfaProperty:description>
    </rdf:li></rdf:Seq></pdfaSchema:property>
   </rdf:li></rdf:Bag></pdfaExtension:schemas>
  </rdf:Description>
"""
"""The XMP that says a file is PDF/UA-1, with the extension schema PDF/A asks for its namespace."""


PDF_DATE = re.compile(r"D:(\d{4})(\d{2})?(\d{2})?(\d{2})?(\d{2})?(\d{2})?"
                      r"(?:([Zz])|([+-])(\d{2})'?(\d{2})?'?)?$")


def parse_pdf_date(text: str) -> datetime:
    """Return the moment a PDF date string names; naive when it names no time zone.
    Raise ValueError when it is no PDF date."""
    match = PDF_DATE.match(text.strip())
    if not match:
        raise ValueError(f"{text!r} is not a PDF date")
    year, month, day, hour, minute, second, zulu, sign, tz_hours, tz_minutes = match.groups()
    zone = None
    if zulu:
        zone = timezone.utc
    elif sign:
        offset = timedelta(hours=int(tz_hours), minutes=int(tz_minutes or 0))
        zone = timezone(-offset if sign == "-" else offset)
    return datetime(int(year), int(month or 1), int(day or 1), int(hour or 0), int(minute or 0),
                    int(second or 0), tzinfo=zone)


def xmp_date(moment: datetime) -> str:
    """Return the moment as an XMP (ISO 8601) date; a naive moment gets no time zone."""
    return moment.isoformat(timespec="seconds")


def parse_xmp_date(text: str) -> datetime:
    """Return the moment an XMP date names; raise ValueError when it is none."""
    text = text.strip()
    return datetime.fromisoformat(text[:-1] + "+00:00" if text.endswith("Z") else text)


# --- the self-check -------------------------------------------------------------------------


def check_pdfa(data: bytes, level: str) -> list[str]:
    """Return what keeps the PDF from being PDF/A at the level ("1b" or "2b"), one readable
    problem a line; an empty list when it has every property the archival step gives."""
    part, conformance = check_level(level)
    try:
        document = pikepdf.open(io.BytesIO(data))
    except pikepdf.PasswordError:
        return ["the file is encrypted: PDF/A forbids encryption"]
    except pikepdf.PdfError as error:
        return [f"the file cannot be read as PDF: {error}"]
    with document:
        problems: list[str] = []
        if document.is_encrypted or "/Encrypt" in document.trailer:
            problems.append("the file is encrypted: PDF/A forbids encryption")
        dictionaries = list(all_dictionaries(document))
        problems += font_problems(dictionaries)
        problems += output_intent_problems(document, level)
        problems += metadata_problems(document, part, conformance)
        identifier = document.trailer.get("/ID")
        if not (isinstance(identifier, Array) and len(identifier) == 2
                and all(len(bytes(item)) for item in identifier)):
            problems.append("the trailer has no document ID (/ID)")
        problems += annotation_problems(document, level)
        problems += action_problems(document, dictionaries)
        if level == "1b":
            problems += transparency_problems(dictionaries)
    return list(dict.fromkeys(problems))


def all_dictionaries(document: pikepdf.Pdf) -> Iterator[Dictionary]:
    """Yield every dictionary of the file (stream dictionaries too), direct or indirect."""
    for item in reachable([document.trailer, *document.objects], indirect=False):
        yield item.stream_dict if isinstance(item, Stream) else item


def reachable(roots: list[pikepdf.Object], skip: tuple[str, ...] = (),
              indirect: bool = True) -> Iterator[pikepdf.Object]:
    """Yield every dictionary and stream reachable from the roots, each once, not following the
    keys in skip, nor indirect children unless indirect is true."""
    stack, seen = list(roots), set()
    while stack:
        item = stack.pop()
        if item.is_indirect:
            if item.objgen in seen:
                continue
            seen.add(item.objgen)
        if isinstance(item, (Dictionary, Stream)):
            yield item
            mapping = item.stream_dict if isinstance(item, Stream) else item
            children = [value for key, value in mapping.items() if key not in skip]
        elif isinstance(item, Array):
            children = list(item)
        else:
            continue
        stack += [child for child in children if isinstance(child, (Dictionary, Array, Stream))
                  and (indirect or not child.is_indirect)]


def font_problems(dictionaries: list[Dictionary]) -> list[str]:
    """Return a problem for every font that is not embedded."""
    problems = []
    for font in dictionaries:
        subtype = font.get("/Subtype")
        if font.get("/Type") != Name.Font or subtype in (Name.Type0, Name.Type3):
            continue  # a Type0 font's descendant is checked itself; Type3 glyphs are in the file
        name = str(font.get("/BaseFont", "(unnamed)")).lstrip("/")
        descriptor = font.get("/FontDescriptor")
        embedded = isinstance(descriptor, Dictionary) and any(
            key in descriptor for key in ("/FontFile", "/FontFile2", "/FontFile3"))
        if not embedded:
            standard = " (a standard-14 font)" if name.split("+")[-1] in STANDARD_14 else ""
            problems.append(f"font {name}{standard} is not embedded")
    return problems


def output_intent_problems(document: pikepdf.Pdf, level: str) -> list[str]:
    """Return what is missing from the PDF/A OutputIntent and its ICC profile."""
    intents = [intent for intent in document.Root.get("/OutputIntents", ())
               if isinstance(intent, Dictionary) and intent.get("/S") == Name.GTS_PDFA1]
    if not intents:
        return ["no PDF/A OutputIntent (/OutputIntents with /S /GTS_PDFA1)"]
    profile = intents[0].get("/DestOutputProfile")
    if not isinstance(profile, Stream):
        return ["the PDF/A OutputIntent has no embedded ICC profile (/DestOutputProfile)"]
    icc = profile.read_bytes()
    if len(icc) < 128 or icc[36:40] != b"acsp":
        return ["the OutputIntent's ICC profile is not an ICC profile"]
    problems = []
    channels = {b"RGB ": 3, b"GRAY": 1, b"CMYK": 4}.get(icc[16:20])
    if channels is None or int(profile.stream_dict.get("/N", 0)) != channels:
        problems.append("the OutputIntent's ICC profile does not match its /N")
    if level == "1b" and icc[8] > 2:
        problems.append(f"the OutputIntent's ICC profile is version {icc[8]}: PDF/A-1 needs "
                        "version 2")
    return problems


def metadata_problems(document: pikepdf.Pdf, part: str, conformance: str) -> list[str]:
    """Return where the XMP packet is missing, malformed or differs from the document
    information, or does not identify the PDF/A level."""
    stream = document.Root.get("/Metadata")
    if not isinstance(stream, Stream):
        return ["no XMP metadata stream (/Metadata in the catalog)"]
    problems = []
    if "/Filter" in stream.stream_dict:
        problems.append("the XMP metadata stream is compressed (/Filter): PDF/A wants it plain")
    packet = stream.read_bytes()
    header = re.match(rb"\s*(?:\xef\xbb\xbf)?<\?xpacket ([^?]*)\?>", packet)
    if not header:
        problems.append("the XMP metadata has no xpacket header")
    elif re.search(rb"\b(bytes|encoding)\s*=", header.group(1)):
        problems.append("the XMP xpacket header has a bytes or encoding attribute")
    try:
        values = xmp_values(packet)
    except ElementTree.ParseError as error:
        return problems + [f"the XMP metadata is not well-formed XML: {error}"]
    info = document.trailer.get("/Info")
    info = info if isinstance(info, Dictionary) else Dictionary()
    for key, prop in PAIRS:
        have, want = values.get(prop), info.get(key)
        if want is None:
            if have is not None and prop != "xmp:MetadataDate":
                problems.append(f"XMP {prop} is {have!r} but the document information has no "
                                f"{key}")
            continue
        want = str(want)
        if have is None:
            problems.append(f"XMP {prop} is missing; the document information {key} is "
                            f"{want!r}")
        elif key.endswith("Date"):
            if not same_moment(want, have):
                problems.append(f"XMP {prop} {have!r} differs from the document information "
                                f"{key} {want!r}")
        elif have != want:
            problems.append(f"XMP {prop} {have!r} differs from the document information {key} "
                            f"{want!r}")
    for prop, want in (("pdfaid:part", part), ("pdfaid:conformance", conformance)):
        if values.get(prop) != want:
            problems.append(f"XMP {prop} is {values.get(prop)!r}, not {want!r}")
    language, catalog = values.get("dc:language"), document.Root.get("/Lang")
    if catalog is not None and language is not None and language != str(catalog):
        problems.append(f"XMP dc:language {language!r} differs from the catalog /Lang "
                        f"{str(catalog)!r}")
    return problems


def xmp_values(packet: bytes) -> dict[str, str]:
    """Return the simple values of an XMP packet by prefixed name ("dc:title"): an alternative
    gives its x-default (else first) item, a sequence or bag its first item."""
    root = ElementTree.fromstring(packet.strip().lstrip(b"\xef\xbb\xbf"))
    names = {uri: prefix for prefix, uri in NAMESPACES.items()}
    values: dict[str, str] = {}
    for description in root.iter(f"{{{NAMESPACES['rdf']}}}Description"):
        for attribute, value in description.attrib.items():
            uri, _, local = attribute[1:].partition("}")
            if uri in names and uri != NAMESPACES["rdf"]:
                values.setdefault(f"{names[uri]}:{local}", value)
        for element in description:
            uri, _, local = element.tag[1:].partition("}")
            if uri not in names:
                continue
            items = list(element.iter(f"{{{NAMESPACES['rdf']}}}li"))
            if items:
                chosen = next((item for item in items if item.get(XML_LANG) == "x-default"),
                              items[0])
                value = chosen.text or ""
            else:
                value = element.text or ""
            values.setdefault(f"{names[uri]}:{local}", value)
    return values


def same_moment(pdf_text: str, xmp_text: str) -> bool:
    """Return whether a PDF date and an XMP date name the same moment."""
    try:
        first, second = parse_pdf_date(pdf_text), parse_xmp_date(xmp_text)
    except ValueError:
        return False
    if (first.tzinfo is None) != (second.tzinfo is None):
        return False
    return first == second


def annotation_problems(document: pikepdf.Pdf, level: str) -> list[str]:
    """Return the annotations that do not print, or that PDF/A forbids."""
    problems = []
    for number, page in enumerate(document.pages, 1):
        for annotation in page.get("/Annots", ()):
            if not isinstance(annotation, Dictionary):
                continue
            subtype = str(annotation.get("/Subtype", "/Annot"))
            if subtype in FORBIDDEN_ANNOTATIONS[level]:
                problems.append(f"page {number}: a {subtype} annotation, which PDF/A-{level} "
                                "forbids")
            if subtype == "/Popup":
                continue
            flags = int(annotation.get("/F", 0))
            if not flags & PRINT:
                problems.append(f"page {number}: {subtype} annotations are not marked "
                                "printable (Print flag)")
            if flags & HIDDEN_FLAGS:
                problems.append(f"page {number}: {subtype} annotations are hidden "
                                "(Hidden, Invisible or NoView flag)")
            appearance = annotation.get("/AP")
            if isinstance(appearance, Dictionary) and set(appearance.keys()) - {"/N"}:
                problems.append(f"page {number}: {subtype} annotations have appearances other "
                                "than the normal one (/AP)")
    return problems


def action_problems(document: pikepdf.Pdf, dictionaries: list[Dictionary]) -> list[str]:
    """Return the scripts and the actions PDF/A forbids."""
    problems = []
    names = document.Root.get("/Names")
    if isinstance(names, Dictionary) and "/JavaScript" in names:
        problems.append("the document has JavaScript (/Names /JavaScript)")
    for dictionary in dictionaries:
        action = dictionary.get("/S")
        if "/JS" in dictionary or action == Name.JavaScript:
            problems.append("the document has JavaScript (a /JavaScript action)")
        elif isinstance(action, Name) and str(action) in FORBIDDEN_ACTIONS:
            problems.append(f"the document has a {action} action, which PDF/A forbids")
        if "/AA" in dictionary:
            problems.append("the document has additional actions (/AA), which PDF/A forbids")
    return problems


def transparency_problems(dictionaries: list[Dictionary]) -> list[str]:
    """Return the uses of transparency, which PDF/A-1 forbids."""
    problems = []
    for dictionary in dictionaries:
        mask = dictionary.get("/SMask")
        if mask is not None and mask != Name("/None"):
            problems.append("transparency: a soft mask (/SMask), which PDF/A-1 forbids")
        for key in ("/CA", "/ca"):
            alpha = dictionary.get(key)
            if alpha is not None and float(alpha) < 1:
                problems.append(f"transparency: an alpha {key} {float(alpha):g} below 1, which "
                                "PDF/A-1 forbids")
        blend = dictionary.get("/BM")
        if blend is not None and blend not in (Name.Normal, Name.Compatible):
            problems.append(f"transparency: the blend mode {blend}, which PDF/A-1 forbids")
        group = dictionary.get("/Group")
        if isinstance(group, Dictionary) and group.get("/S") == Name.Transparency:
            problems.append("transparency: a transparency group, which PDF/A-1 forbids")
    return problems
