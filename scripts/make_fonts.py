"""Write the static Noto Serif and Noto Sans Arabic faces that chancery embeds, from the
variable fonts on PyPI.

Run once when a font version changes: `pip install fontpkg-noto-serif fontpkg-noto-sans-arabic
fonttools`, then `python scripts/make_fonts.py`. The output goes to generator/fonts/ (OFL-1.1,
see LICENSE there).
"""

from pathlib import Path

import fontpkg_noto_sans_arabic
import fontpkg_noto_serif
from fontTools.ttLib import TTFont
from fontTools.varLib.instancer import instantiateVariableFont

FACES = {
    "NotoSerif-Regular.ttf": ("NotoSerif[wdth,wght].ttf", 400),
    "NotoSerif-Bold.ttf": ("NotoSerif[wdth,wght].ttf", 700),
    "NotoSerif-Italic.ttf": ("NotoSerif-Italic[wdth,wght].ttf", 400),
    "NotoSerif-BoldItalic.ttf": ("NotoSerif-Italic[wdth,wght].ttf", 700),
}
ARABIC_FACES = {
    "NotoSansArabic-Regular.ttf": ("NotoSansArabic[wdth,wght].ttf", 400),
    "NotoSansArabic-Bold.ttf": ("NotoSansArabic[wdth,wght].ttf", 700),
}
"""The complex-script faces of Arabic text (Arabic has no italic: slanting is not its emphasis)."""


def common_points(target: Path, names) -> set[int]:
    """Return the code points that every one of the faces can print."""
    points = None
    for name in names:
        cmap = set(TTFont(target / name).getBestCmap())
        points = cmap if points is None else points & cmap
    return points


def write_coverage(target: Path) -> None:
    """Write coverage.txt: the code point ranges (hex) that every Noto Serif face, or every
    Noto Sans Arabic face, can print."""
    points = common_points(target, FACES) | common_points(target, ARABIC_FACES)
    ranges, start, previous = [], None, None
    for point in sorted(points):
        if start is None:
            start = previous = point
        elif point == previous + 1:
            previous = point
        else:
            ranges.append((start, previous))
            start = previous = point
    ranges.append((start, previous))
    lines = [f"{a:04X}-{b:04X}" for a, b in ranges]
    (target / "coverage.txt").write_text("\n".join(lines) + "\n")


def main() -> None:
    source = fontpkg_noto_serif.ROOT / "files"
    target = Path(__file__).resolve().parent.parent / "generator" / "fonts"
    target.mkdir(parents=True, exist_ok=True)
    arabic = fontpkg_noto_sans_arabic.ROOT / "files"
    for name, (variable, weight) in [*FACES.items(), *ARABIC_FACES.items()]:
        font = TTFont((arabic if name in ARABIC_FACES else source) / variable)
        static = instantiateVariableFont(font, {"wght": weight, "wdth": 100}, updateFontNames=True)
        static.save(target / name)
        print(target / name)
    write_coverage(target)
    (target / "LICENSE").write_text((fontpkg_noto_serif.ROOT / "LICENSE").read_text())
    (target / "LICENSE-NotoSansArabic").write_text(
        (fontpkg_noto_sans_arabic.ROOT / "LICENSE").read_text())


if __name__ == "__main__":
    main()
