"""The house style's emblem: read back checked, measured, drawn in a PDF, made a Word picture."""

from __future__ import annotations

import hashlib
import io
from functools import lru_cache

from .document import Emblem
from .problems import InputError, Problem

EMBLEM_PIXELS = 360
"""The long side of an SVG emblem made into a picture for Word, in pixels: over 400 dpi at the
25 mm an emblem is usually printed, and small enough to e-mail."""


def emblem_bytes(emblem: Emblem) -> bytes:
    """Return the emblem file's bytes; raise InputError if it is no longer the file checked."""
    from .files import UnreadableFile, read_regular
    from .housestyle import EMBLEM_FILE

    try:
        data = read_regular(emblem.path, limit=EMBLEM_FILE, what="an emblem")
    except UnreadableFile as error:
        raise InputError(error.problems) from None
    if hashlib.sha256(data).hexdigest() != emblem.sha256:
        raise InputError([Problem(emblem.path, None, None, (), (
            "the emblem changed while the documents were being made, build again"))])
    return data


@lru_cache(maxsize=8)
def emblem_drawing(emblem: Emblem):
    """Return an SVG emblem as a reportlab Drawing."""
    from .housestyle import svg_drawing

    return svg_drawing(emblem_bytes(emblem))


@lru_cache(maxsize=8)
def emblem_image(emblem: Emblem):
    """Return a PNG or JPEG emblem as a Pillow image, opaque on white in grey or RGB (PDF/A-1
    has no transparency)."""
    from PIL import Image

    from .annexes import opaque_image

    image = Image.open(io.BytesIO(emblem_bytes(emblem)))
    image.load()
    return opaque_image(image)


def emblem_proportion(emblem: Emblem) -> float:
    """Return the emblem's height divided by its width."""
    if emblem.kind == "svg":
        drawing = emblem_drawing(emblem)
        return drawing.height / drawing.width
    width, height = emblem_image(emblem).size
    return height / width


def draw_emblem(canvas, emblem: Emblem, x: float, y: float, width: float) -> None:
    """Draw the emblem width (pt) wide with its bottom left corner at (x, y), in pt: an SVG as
    vectors, an image as an image."""
    height = width * emblem_proportion(emblem)
    if emblem.kind == "svg":
        from reportlab.graphics import renderPDF

        from .fonts import face_name

        drawing = emblem_drawing(emblem)
        drawing.initialFontName = face_name()  # else reportlab's state names Times-Roman
        canvas.saveState()
        canvas.translate(x, y)
        canvas.scale(width / drawing.width, height / drawing.height)
        renderPDF.draw(drawing, canvas, 0, 0)
        canvas.restoreState()
        return
    from reportlab.lib.utils import ImageReader

    canvas.drawImage(ImageReader(emblem_image(emblem)), x, y, width, height)


@lru_cache(maxsize=8)
def emblem_picture(emblem: Emblem) -> bytes:
    """Return the emblem as a PNG or JPEG file for Word: an SVG drawn EMBLEM_PIXELS long."""
    if emblem.kind != "svg":
        return emblem_bytes(emblem)
    import pypdfium2
    from reportlab.graphics import renderPDF

    drawing = emblem_drawing(emblem)
    scale = EMBLEM_PIXELS / max(drawing.width, drawing.height)
    pdf = pypdfium2.PdfDocument(renderPDF.drawToString(drawing))
    try:
        bitmap = pdf[0].render(scale=scale, fill_color=(255, 255, 255, 255))
        image = bitmap.to_pil().convert("RGB")
    finally:
        pdf.close()
    buffer = io.BytesIO()
    image.quantize(256).save(buffer, "PNG", optimize=True)  # an emblem has few colours
    return buffer.getvalue()
