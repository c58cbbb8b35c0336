"""The PDF writer's paragraphs break their lines once per width, and afresh after a split."""

from __future__ import annotations

from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfgen.canvas import Canvas

from generator.fonts import register_pdf_fonts
from generator.writers.pdf import ParagraphFlowable


def paragraph(monkeypatch) -> tuple[ParagraphFlowable, list[float]]:
    """Return a long paragraph and the widths its lines are broken at from now on."""
    style = ParagraphStyle("Body", fontName=register_pdf_fonts(), fontSize=11, leading=14)
    flowable = ParagraphFlowable("Remittances and regular migration. " * 40, style)
    widths = []
    original = ParagraphFlowable.breakLines

    def breakLines(self, line_widths):
        widths.append(line_widths[0])
        return original(self, line_widths)

    monkeypatch.setattr(ParagraphFlowable, "breakLines", breakLines)
    return flowable, widths


def test_lines_are_broken_once_per_width(monkeypatch):
    flowable, widths = paragraph(monkeypatch)
    first = flowable.wrap(300, 1000)
    assert flowable.wrap(300, 50) == first and widths == [300]
    narrower = flowable.wrap(200, 1000)
    assert widths == [300, 200] and narrower[1] > first[1]
    assert flowable.wrap(300, 1000) == first and widths == [300, 200, 300]


def test_a_split_paragraph_is_wrapped_afresh_and_draws(monkeypatch, tmp_path):
    flowable, widths = paragraph(monkeypatch)
    height = flowable.wrap(300, 1000)[1]
    assert flowable.split(300, 5) == []  # no room for a line: reportlab drops the lines it had
    assert flowable.wrap(300, 1000)[1] == height and widths == [300, 300]
    first, second = flowable.split(300, height / 2)
    canvas = Canvas(str(tmp_path / "split.pdf"))
    for part in (first, second, flowable):
        part.wrapOn(canvas, 300, 1000)
        part.drawOn(canvas, 50, 100)
    canvas.save()
