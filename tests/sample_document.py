"""A small document that uses every node type, for writer tests."""

from datetime import datetime, timezone

from generator.document import (
    Cell, Contents, ContentsEntry, Document, Heading, Metadata, PageBreak, PageSettings,
    Paragraph, Row, Run, SignatureBlock, Table,
)


def para(text: str, style: str = "Body", **kwargs) -> Paragraph:
    return Paragraph((Run(text),), style=style, **kwargs)


def sample_document(rows: int = 60, draft: bool = True) -> Document:
    """Return a protocol-like document with every block type and page furniture."""
    table = Table(
        widths=(1, 3, 3),
        rows=(Row((Cell((para("Time", "Table Header"),)), Cell((para("Item", "Table Header"),)),
                   Cell((para("Speakers", "Table Header"),))), header=True),)
        + tuple(
            Row((Cell((para(f"{9 + i // 4:02d}:{(i % 4) * 15:02d}", "Table Text"),)),
                 Cell((para(f"Item {i}: Türkiye & Azərbaycan <b>not bold</b> {{{{ x }}}}", "Table Text"),)),
                 Cell((para("Mr. Вюсал Гусейнов, Chief", "Table Text"), para("TBC", "Table Text")))))
            for i in range(rows)
        ),
    )
    blocks = (
        para("DRAFT", "Status"),
        para("Almaty Process", "Title"),
        para("8th Senior Officials' Meeting", "Subtitle"),
        para("Baku, 12 October 2023", "Centered"),
        Contents((ContentsEntry("Programme", 1, "programme"),
                  ContentsEntry("Signatures", 1, "signatures"))),
        Heading((Run("Programme"),), level=1, anchor="programme"),
        table,
        PageBreak(),
        Heading((Run("Signatures"),), level=1, anchor="signatures"),
        Paragraph((Run("The participants of the "), Run("Almaty Process", italic=True), Run(",")),
                  style="Preamble"),
        para("Agree on the priorities & directions of AT&T < > \" '.", "Operative", number="1."),
        para("Nested paragraph about the Regional Training Center on Migration.", "Operative",
             number="1.1.", level=1),
        Paragraph((Run("Bold ", bold=True), Run("italic ", italic=True),
                   Run("bold italic", bold=True, italic=True), Run(" line\nbreak")), style="Body"),
        para("Key message one", "Bullet"),
        para("Done at Baku on 12 October 2023 in a single original in the English language.",
             "Body", keep_with_next=True),
    ) + tuple(
        SignatureBlock(f"For the Republic of State {n}", f"Name Surname {n}", "Minister") for n in range(12)
    )
    return Document(
        name="protocol",
        metadata=Metadata(
            title="Outcome Protocol", subject="8th Senior Officials' Meeting of the Almaty Process",
            author="State Migration Service of the Republic of Azerbaijan",
            keywords=("Almaty Process", "protocol", "draft"), language="en",
            created=datetime(2023, 10, 12, tzinfo=timezone.utc)),
        page=PageSettings(
            header="AP/SOM/8/2023/1", marking="DRAFT · Version 0.3 · 12 October 2023" if draft else None,
            watermark="DRAFT" if draft else None, classification="RESTRICTED"),
        blocks=blocks,
    )
