"""Spreadsheets in and out: CSV and XLSX files read into bounded tables of cells, and written."""

from __future__ import annotations

import csv
import datetime as dt
import io
import os
import zipfile
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path as FilePath

MAX_FILE_BYTES = 20_000_000
"""The largest registration file read, in bytes (an export of 300 delegates is under 100 KB)."""

MAX_UNPACKED_BYTES = 100_000_000
"""The most an XLSX file may hold once unzipped, in bytes: more is a zip bomb, not a list."""

MAX_MEMBERS = 2_000
"""The most files an XLSX file (a ZIP archive) may hold."""

MAX_ROWS = 10_000
"""The most rows a sheet may hold."""

MAX_COLUMNS = 200
"""The columns read from a sheet; any further to the right are not looked at."""

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
"""How a cell's text begins when Excel would take it for a formula (OWASP "CSV injection")."""


class SheetError(Exception):
    """Why a file cannot be read as a table, in words that follow its name."""

    def __init__(self, message: str, sheet: str | None = None, field: str = "file"):
        super().__init__(message)
        self.sheet = sheet
        """The sheet concerned, if any."""
        self.field = field
        """The field of a registration that is to be corrected: "file" or "sheet"."""


class Uncalculated(str):
    """A formula whose value the file does not hold (saved by a program that does not
    calculate); the text is the formula."""


class ErrorValue(str):
    """An Excel error value, such as "#REF!" or "#N/A"."""


Value = str | int | float | bool | dt.datetime | dt.date | dt.time | dt.timedelta | None
"""What a cell holds: text, a number, a truth value, a date or time, or nothing."""


@dataclass(frozen=True)
class Table:
    """A sheet's cells, row by row, as the file holds them."""

    sheet: str | None
    """The sheet's name in an XLSX file; None for a CSV file."""
    rows: tuple[tuple[int, tuple[Value, ...]], ...]
    """(row number from 1, the row's values from column A), for every row that holds a value;
    a merged range's value is in each of its cells."""
    delimiter: str | None = None
    """The CSV file's delimiter; None for an XLSX file."""


def column_letter(column: int) -> str:
    """Return the spreadsheet letter of a column numbered from 1: 1 -> "A", 28 -> "AB"."""
    letters = ""
    while column:
        column, rest = divmod(column - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


def read_file(path: FilePath, limit: int = MAX_FILE_BYTES) -> bytes:
    """Return the bytes of an input file that is not the meeting file (registrations); raise
    SheetError if it is missing, not a regular file (a folder, a FIFO, a device), unreadable or
    larger than limit bytes, before reading anything."""
    from .files import UnreadableFile, read_regular

    if not os.path.lexists(path):
        raise SheetError(f"does not exist (looked for {path})")
    try:
        return read_regular(path, limit=limit, what="a registration file")
    except UnreadableFile as error:
        reason = error.reason
        if reason.startswith("cannot be read: Permission denied"):
            reason += " (is it open in Excel with a lock, or in another user's folder?)"
        raise SheetError(reason) from None


def read_table(path: FilePath, sheet: str | None = None) -> Table:
    """Return the table of a CSV or XLSX file (by its name's ending); the named sheet of an
    XLSX file, or its first. Raise SheetError saying what is wrong. A file is read once per
    process while it keeps its size and modification time."""
    suffix = path.suffix.lower()
    if suffix not in (".csv", ".txt", ".xlsx", ".xlsm"):
        hint = (" (an old Excel file: save it as .xlsx)" if suffix == ".xls" else
                " (save it from its program as .xlsx or .csv)" if suffix in (".ods", ".numbers")
                else "")
        raise SheetError(f"is not a .csv or .xlsx file{hint}")
    try:
        status = path.stat()
    except OSError:
        read_file(path)  # raises the reason
        raise SheetError("cannot be read") from None
    found = _read_table(str(path), sheet, status.st_mtime_ns, status.st_size)
    if isinstance(found, SheetError):
        raise found
    return found


@lru_cache(maxsize=32)
def _read_table(name: str, sheet: str | None, _mtime: int, _size: int) -> Table | SheetError:
    """Return the table, or the error saying why there is none (cached while unchanged)."""
    path = FilePath(name)
    try:
        data = read_file(path)
        if path.suffix.lower() in (".xlsx", ".xlsm"):
            return _read_xlsx(data, sheet)
        if sheet is not None:
            raise SheetError(f"is a CSV file, which has no sheets; remove 'sheet: {sheet}'",
                             field="sheet")
        return _read_csv(data)
    except SheetError as error:
        return error


# --- CSV ---------------------------------------------------------------------------------------

_BOMS = ((b"\xef\xbb\xbf", "utf-8-sig"), (b"\xff\xfe", "utf-16"), (b"\xfe\xff", "utf-16"))


def decode_text(data: bytes) -> str:
    """Return the text of a CSV file as Excel writes them: UTF-8 with or without a byte order
    mark, UTF-16 with one ("Unicode text"), else Windows-1252; raise SheetError otherwise."""
    for mark, encoding in _BOMS:
        if data.startswith(mark):
            try:
                return data.decode(encoding)
            except UnicodeDecodeError:
                raise SheetError(f"starts as {encoding.upper()} text but is not; save it again "
                                 "as 'CSV UTF-8'") from None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError as error:
        raise SheetError(f"is neither UTF-8 nor Windows-1252 text (byte 0x{data[error.start]:02X} "
                         f"at offset {error.start}); save it as 'CSV UTF-8'") from None


def _delimiter(text: str) -> str:
    """Return the delimiter of a CSV text: the one of ',', ';' and tab most often outside
    quotes on its first non-empty line (Excel writes ';' where the decimal mark is ',')."""
    line = next((line for line in text.splitlines() if line.strip()), "")
    counts, quoted = {",": 0, ";": 0, "\t": 0}, False
    for char in line:
        if char == '"':
            quoted = not quoted
        elif not quoted and char in counts:
            counts[char] += 1
    best = max(counts, key=lambda char: counts[char])
    return best if counts[best] else ","


def _read_csv(data: bytes) -> Table:
    """Return the table of a CSV file's bytes."""
    text = decode_text(data)
    if "\x00" in text:
        raise SheetError("holds NUL characters: it is not a CSV text file")
    delimiter = _delimiter(text)
    rows = []
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=False)
    try:
        for number, record in enumerate(reader, 1):
            if number > MAX_ROWS:
                raise SheetError(f"holds more than {MAX_ROWS:,} rows")
            values = tuple(_from_csv(value) for value in record[:MAX_COLUMNS])
            if any(value is not None for value in values):
                rows.append((number, values))
    except csv.Error as error:
        raise SheetError(f"cannot be read as CSV: {error}") from None
    return Table(None, tuple(rows), delimiter)


def _from_csv(value: str) -> str | None:
    """Return a CSV field's text, without the ' that makes a formula-like text plain text."""
    if value.startswith("'") and value[1:2] and value[1] in FORMULA_STARTS:
        value = value[1:]
    return value if value.strip() else None


# --- XLSX --------------------------------------------------------------------------------------

def _check_zip(data: bytes) -> None:
    """Raise SheetError unless the bytes are a ZIP archive of a reasonable unpacked size."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile:
        kind = ("an old Excel file (.xls) named .xlsx; save it as .xlsx" if
                data.startswith(b"\xd0\xcf\x11\xe0") else "damaged or not really an Excel file")
        raise SheetError(f"is not an XLSX file: it is {kind}") from None
    members = archive.infolist()
    if len(members) > MAX_MEMBERS:
        raise SheetError(f"holds {len(members):,} parts; an XLSX file of a list holds a few dozen")
    unpacked = sum(member.file_size for member in members)
    if unpacked > MAX_UNPACKED_BYTES:
        raise SheetError(f"would unpack to {unpacked / 1_000_000:,.0f} MB; a list of "
                         "participants is far smaller (is it a zip bomb?)")


def _read_xlsx(data: bytes, sheet: str | None) -> Table:
    """Return the table of the named or first sheet of an XLSX file's bytes."""
    _check_zip(data)
    import openpyxl
    import openpyxl.xml

    if not openpyxl.xml.DEFUSEDXML:  # openpyxl guards against XML bombs only with defusedxml
        raise SheetError("cannot be read safely: install the Python package defusedxml")
    try:
        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many kinds for a damaged file
        raise SheetError(f"is damaged or not an XLSX file ({type(error).__name__}: {error})") from None
    try:
        names = book.sheetnames
        if sheet is None:
            worksheets = [ws for ws in book.worksheets if hasattr(ws, "iter_rows")]
            if not worksheets:
                raise SheetError("has no sheet of cells")
            worksheet = worksheets[0]
        elif sheet in names:
            worksheet = book[sheet]
        else:
            import difflib

            close = difflib.get_close_matches(sheet, names, n=1, cutoff=0.6)
            hint = f"; did you mean '{close[0]}'?" if close else ""
            raise SheetError(f"has no sheet '{sheet}' (its sheets: {', '.join(names)}){hint}",
                             field="sheet")
        return _read_sheet(book, worksheet)
    finally:
        book.close()


def _read_sheet(book, worksheet) -> Table:
    """Return a read-only sheet's table, merged ranges filled and uncalculated formulas marked."""
    formulas, merged, (last_row, last_column) = _formulas_and_merges(worksheet)
    grid: dict[int, dict[int, Value]] = {}
    if not last_row:
        return Table(worksheet.title, ())
    try:
        for row, cells in enumerate(worksheet.iter_rows(min_row=1, min_col=1, max_row=last_row,
                                                        max_col=last_column), 1):
            for column, cell in enumerate(cells, 1):
                value = getattr(cell, "value", None)
                if value is None and (row, column) in formulas:
                    value = Uncalculated(formulas[row, column])
                elif getattr(cell, "data_type", None) == "e" and value is not None:
                    value = ErrorValue(value)
                elif isinstance(value, str) and not value.strip():
                    value = None
                if value is not None:
                    grid.setdefault(row, {})[column] = value
    except SheetError:
        raise
    except Exception as error:  # a damaged sheet
        raise SheetError(f"cannot be read ({type(error).__name__}: {error})", worksheet.title) from None
    for top, left, bottom, right in merged:
        value = grid.get(top, {}).get(left)
        if value is None:
            continue
        for row in range(top, min(bottom, MAX_ROWS) + 1):
            for column in range(left, min(right, MAX_COLUMNS) + 1):
                grid.setdefault(row, {})[column] = value
    rows = tuple((row, tuple(grid[row].get(column) for column in range(1, max(grid[row]) + 1)))
                 for row in sorted(grid))
    return Table(worksheet.title, rows)


def _formulas_and_merges(worksheet) -> tuple[dict[tuple[int, int], str],
                                             list[tuple[int, int, int, int]], tuple[int, int]]:
    """Return the sheet's formulas by (row, column), its merged ranges as (top, left, bottom,
    right) and the last row and column that hold something (within MAX_ROWS and MAX_COLUMNS):
    openpyxl's read-only sheets show none of them (their size is what the file declares, which
    formatting a whole column makes a million rows), so the sheet's XML is read again with
    openpyxl's own (defusedxml-guarded) parser. Raise SheetError for a value below MAX_ROWS."""
    from openpyxl.worksheet._reader import WorkSheetParser

    formulas: dict[tuple[int, int], str] = {}
    last_row = last_column = 0
    source = worksheet._get_source()
    try:
        parser = WorkSheetParser(source, worksheet._shared_strings, data_only=False)
        for number, cells in parser.parse():  # only the rows the file holds, however far down
            if number > MAX_ROWS:
                if any(cell["value"] not in (None, "") for cell in cells):
                    raise SheetError(f"holds more than {MAX_ROWS:,} rows (row {number:,} is not "
                                     "empty)", worksheet.title)
                continue
            for cell in cells:
                if cell["value"] not in (None, "") and cell["column"] <= MAX_COLUMNS:
                    last_row, last_column = number, max(last_column, cell["column"])
                if cell["data_type"] == "f" and cell["column"] <= MAX_COLUMNS:
                    formulas[cell["row"], cell["column"]] = str(getattr(cell["value"], "text", cell["value"]))
        ranges = parser.merged_cells.mergeCell if parser.merged_cells else []
    finally:
        source.close()
    merged = []
    for merge in ranges:
        from openpyxl.utils.cell import range_boundaries

        try:
            left, top, right, bottom = range_boundaries(merge.ref)
        except (TypeError, ValueError):
            continue
        merged.append((top, left, bottom, right))
    return formulas, merged, (last_row, last_column)


# --- writing -----------------------------------------------------------------------------------

def write_table(header: list[str], rows: list[list[str]], fmt: str, sheet: str = "Participants") -> bytes:
    """Return the rows under the header as an XLSX file or a CSV file (UTF-8 with a byte order
    mark and CRLF line ends, as Excel reads them); every value is text, never a formula."""
    if fmt == "csv":
        out = io.StringIO(newline="")
        writer = csv.writer(out, lineterminator="\r\n")
        for row in [header, *rows]:
            writer.writerow(["'" + value if value.startswith(FORMULA_STARTS) else value
                             for value in row])
        return out.getvalue().encode("utf-8-sig")
    if fmt != "xlsx":
        raise ValueError(f"unknown format {fmt!r}")
    import openpyxl
    from openpyxl.styles import Font

    book = openpyxl.Workbook()
    worksheet = book.active
    worksheet.title = sheet
    for number, row in enumerate([header, *rows], 1):
        for column, value in enumerate(row, 1):
            cell = worksheet.cell(number, column)
            cell.value = value
            cell.data_type = "s"  # text, even when it starts like a formula
            if number == 1:
                cell.font = Font(bold=True)
    worksheet.freeze_panes = "A2"
    for column, title in enumerate(header, 1):
        widest = max([len(title), *(len(row[column - 1]) for row in rows)]) if rows else len(title)
        worksheet.column_dimensions[column_letter(column)].width = min(60, max(10, widest + 2))
    book.properties.creator = "chancery"
    book.properties.created = book.properties.modified = dt.datetime(2000, 1, 1)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
