"""The archive of built files: versioned names, manifest.json, atomic commits, verify and seal."""

from __future__ import annotations

import contextlib
import errno
import hashlib
import io
import json
import os
import re
import secrets
import stat
import zipfile
from dataclasses import MISSING, dataclass, fields, replace
from pathlib import Path
from typing import Iterator

from .files import ARCHIVED_FILE, MANIFEST_FILE, UnreadableFile, read_regular

MANIFEST = "manifest.json"
"""The name of the manifest in each meeting's folder."""

FORMAT = "chancery-manifest-1"
"""The manifest's format marker: a folder whose manifest.json lacks it is no chancery archive."""

_TEMPORARY = ".chancery-tmp."
"""The prefix of files being written: removed by recovery unless a journal names them."""

_JOURNAL = ".chancery-journal"
"""The commit journal: present only between the commit point and the end of the renames."""

_LOCK = ".chancery-lock"
"""The lock file of systems without advisory locks on folders (Windows)."""

STATUS_MARK = "chancery-status: "
"""What each built file's first keyword starts with, followed by its status: the status the
file itself carries, which editing the manifest cannot change."""

_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._+-]{0,199}$")
"""A file name chancery writes into an archive: letters, digits, ".", "_", "+" and "-"."""

_HEX = re.compile(r"^[0-9a-f]{64}$")

STATUSES = ("draft", "final", "signed")
"""The statuses a file may have."""


class ArchiveError(Exception):
    """A refusal or a problem with an archive folder: one message a line, in the user's words."""

    def __init__(self, messages: list[str]):
        self.messages = tuple(messages)
        super().__init__("\n".join(self.messages))


class NotAnArchive(ArchiveError):
    """The folder does not exist or holds no chancery manifest."""


class DamagedManifest(ArchiveError):
    """The folder's manifest.json cannot be read as a chancery manifest."""


def sha256(data: bytes) -> str:
    """Return the SHA-256 of the bytes, in lowercase hex."""
    return hashlib.sha256(data).hexdigest()


@dataclass(frozen=True)
class Seal:
    """A seal (digital signature) put on an archived PDF by `chancery seal`."""

    signer: str
    """The signing certificate's common name."""
    signed_at: str
    """The signing time the signature records, ISO 8601."""
    unsealed_sha256: str
    """The SHA-256 of the file as the build produced it, before sealing."""
    reason: str | None = None
    """The reason given for sealing, if any."""


@dataclass(frozen=True)
class Entry:
    """What the manifest records of one file."""

    sha256: str
    """The SHA-256 of the file's bytes, lowercase hex."""
    size: int
    """The file's size in bytes."""
    document: str
    """agenda, protocol or briefing."""
    languages: tuple[str, ...]
    """The edition's languages, in order: ("en",) or ("en", "ru")."""
    version: str
    """The document's version, as in the file name."""
    status: str
    """draft, final or signed, as the input says."""
    input_file: str
    """The name (without folders) of the input file that produced it."""
    input_sha256: str
    """The SHA-256 of that input file's bytes."""
    chancery: str
    """The version of chancery that built it."""
    built_at: str
    """The build time written into the file, ISO 8601 UTC."""
    pdfa: str | None = None
    """For a PDF: the PDF/A level, 2b or 1b, or none for a plain PDF."""
    seal: Seal | None = None
    """The seal, once the file is sealed."""

    @property
    def built_sha256(self) -> str:
        """Return the SHA-256 of the file as built, before any seal."""
        return self.seal.unsealed_sha256 if self.seal else self.sha256

    @property
    def kept(self) -> bool:
        """Return whether the file may never be replaced: final, signed or sealed."""
        return self.status != "draft" or self.seal is not None


_TYPES = {"str": str, "int": int, "str | None": (str, type(None)), "tuple[str, ...]": list,
          "Seal | None": (dict, type(None))}
"""The JSON type each field type of Seal and Entry is read from."""


def _read_record(kind: type, data: object, where: str) -> dict:
    """Return the arguments for the dataclass kind read from JSON data; raise ValueError naming
    the place of a missing, unknown or mistyped field."""
    if not isinstance(data, dict):
        raise ValueError(f"{where} should be an object")
    known = {field.name: field for field in fields(kind)}
    unknown = sorted(set(data) - set(known))
    missing = sorted(name for name, field in known.items()
                     if field.default is MISSING and name not in data)
    if unknown or missing:
        raise ValueError(f"{where}: " + "; ".join([f"unknown field '{name}'" for name in unknown] +
                                                  [f"field '{name}' missing" for name in missing]))
    for name, value in data.items():
        if not isinstance(value, _TYPES[known[name].type]) or isinstance(value, bool):
            raise ValueError(f"{where}.{name} has the wrong type")
    return dict(data)


def _read_entry(data: object, where: str) -> Entry:
    """Return the manifest entry read from JSON data; raise ValueError as _read_record does."""
    values = _read_record(Entry, data, where)
    if not all(isinstance(language, str) for language in values["languages"]):
        raise ValueError(f"{where}.languages should list language codes")
    if not _HEX.match(values["sha256"]):
        raise ValueError(f"{where}.sha256 is not a SHA-256 in hex")
    if not 0 <= values["size"] <= ARCHIVED_FILE:
        raise ValueError(f"{where}.size is no possible size ({values['size']})")
    if values["status"] not in STATUSES:
        raise ValueError(f"{where}.status is none of {', '.join(STATUSES)}")
    values["languages"] = tuple(values["languages"])
    if values.get("seal") is not None:
        values["seal"] = Seal(**_read_record(Seal, values["seal"], f"{where}.seal"))
    return Entry(**values)


def _entry_json(entry: Entry) -> dict:
    """Return the entry as JSON data, fields without a value left out."""
    data = {field.name: getattr(entry, field.name) for field in fields(entry)}
    data["languages"] = list(entry.languages)
    if entry.seal is not None:
        data["seal"] = {field.name: getattr(entry.seal, field.name) for field in fields(entry.seal)
                        if getattr(entry.seal, field.name) is not None}
    return {name: value for name, value in data.items() if value is not None}


@dataclass(frozen=True)
class Manifest:
    """The record of every file in a meeting's folder."""

    meeting: str
    """The meeting's id."""
    files: dict[str, Entry]
    """Each file's entry, by file name."""

    def to_bytes(self) -> bytes:
        """Return the manifest as stable JSON: sorted keys, indent 2, UTF-8, newline at the end."""
        data = {"format": FORMAT, "meeting": self.meeting,
                "files": {name: _entry_json(entry) for name, entry in self.files.items()}}
        return (json.dumps(data, indent=2, sort_keys=True, ensure_ascii=False) + "\n").encode()


def read_manifest(folder: Path) -> Manifest | None:
    """Return the folder's manifest, or None if it has none; raise NotAnArchive for a
    manifest.json that is not chancery's and DamagedManifest for one that cannot be read."""
    path = folder / MANIFEST
    if path.is_symlink():
        raise DamagedManifest([f"{path}: damaged (a link, not the file chancery wrote)"])
    try:
        data = json.loads(read_regular(path, limit=MANIFEST_FILE, what="a manifest"))
    except UnreadableFile as error:
        if error.reason == "no such file":
            return None
        raise DamagedManifest([f"{path}: damaged ({error.reason})"]) from None
    except (ValueError, UnicodeDecodeError) as error:
        raise DamagedManifest([f"{path}: damaged, not JSON ({error})"]) from None
    except RecursionError:
        raise DamagedManifest([f"{path}: damaged (nested too deeply to be a manifest)"]) from None
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise NotAnArchive([f"{path}: not a chancery manifest (no \"format\": \"{FORMAT}\")"])
    try:
        if not isinstance(data.get("meeting"), str) or not isinstance(data.get("files"), dict):
            raise ValueError("\"meeting\" or \"files\" is missing")
        files = {name: _read_entry(entry, f"files[{name!r}]")
                 for name, entry in data["files"].items()}
        if any(not _plain_name(name) for name in files):
            raise ValueError("a file name is not one chancery writes: it holds a folder, a NUL "
                             "or another character chancery never uses, or is a temporary name")
    except ValueError as error:
        raise DamagedManifest([f"{path}: damaged ({error})"]) from None
    return Manifest(data["meeting"], files)


def _plain_name(name: str) -> bool:
    """Return whether the name is a file directly in the folder and not one of chancery's own."""
    return bool(_NAME.match(name)) and name != MANIFEST


# The journal. A commit writes every new file and the new manifest to temporary names and
# syncs them, then renames a journal listing the renames into place (the commit point), then
# renames, then deletes the journal. Recovery finishes the renames of a journal it finds and
# otherwise deletes temporary files: each file is the old one or the new one, never a part.

def _sync_folder(folder: Path) -> None:
    """Make the folder's renames and deletions durable (POSIX; elsewhere a no-op)."""
    if os.name != "posix":  # Windows cannot open a folder to sync it; its renames are durable
        return
    handle = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(handle)
    except OSError as error:  # some file systems (network, FUSE) cannot sync a folder
        if error.errno not in (errno.EINVAL, errno.ENOTSUP, errno.EBADF):
            raise
    finally:
        os.close(handle)


def _write_synced(path: Path, data: bytes) -> None:
    """Write a new file and sync it to disk; raise FileExistsError if it exists."""
    with open(path, "xb") as stream:
        stream.write(data)
        stream.flush()
        os.fsync(stream.fileno())


def _read_journal(folder: Path) -> list[tuple[str, str]]:
    """Return the renames (temporary name, final name) the folder's journal lists; raise
    ArchiveError if it cannot be read."""
    path = folder / _JOURNAL
    try:
        renames = [tuple(pair) for pair in json.loads(read_regular(
            path, limit=MANIFEST_FILE, what="a journal"))["renames"]]
        if all(len(pair) == 2 and isinstance(pair[0], str) and pair[0].startswith(_TEMPORARY)
               and _NAME.match(pair[0][1:]) and isinstance(pair[1], str)
               and (_plain_name(pair[1]) or pair[1] == MANIFEST) for pair in renames):
            return renames
    except (ValueError, KeyError, TypeError, AttributeError, RecursionError, UnreadableFile):
        pass
    strays = [entry.name for entry in folder.iterdir() if entry.name.startswith(_TEMPORARY)]
    if not strays:  # every rename was done: only the journal's removal is left
        return []
    raise ArchiveError([f"{path}: an interrupted write's journal cannot be read, so chancery "
                        "cannot finish it; look at the folder, remove the journal, then run "
                        "chancery verify"])


def _roll_forward(folder: Path, renames: list[tuple[str, str]]) -> None:
    """Do the renames a committed journal lists (those not done yet), then delete it."""
    for temporary, final in renames:
        if (folder / temporary).exists():
            os.replace(folder / temporary, folder / final)
    _sync_folder(folder)
    (folder / _JOURNAL).unlink(missing_ok=True)
    _sync_folder(folder)


def recover(folder: Path) -> str | None:
    """Finish or undo a write an interrupted chancery left in the folder; return what was done
    ("finished" or "undone"), or None if there was nothing to do."""
    done = None
    if (folder / _JOURNAL).exists():
        _roll_forward(folder, _read_journal(folder))
        done = "finished"
    strays = [path for path in folder.iterdir() if path.name.startswith(_TEMPORARY)]
    for path in strays:
        path.unlink()
    if strays:
        _sync_folder(folder)
    return done or ("undone" if strays else None)


def recovery_note(folder: Path, done: str | None) -> str | None:
    """Return the line telling the user what recovery did in the folder, or None."""
    if done == "finished":
        return f"{folder}: finished a write that an interrupted chancery had committed"
    if done == "undone":
        return (f"{folder}: removed the temporary files of a write an interrupted chancery had "
                "not committed")
    return None


@contextlib.contextmanager
def opened(folder: Path) -> Iterator[str | None]:
    """Hold the folder locked against other chancery processes after recovering it; yield what
    recovery did (see recover). POSIX locks the folder itself; Windows locks the first byte of
    the folder's lock file, .chancery-lock."""
    try:
        import fcntl
    except ImportError:
        fcntl = None
    if fcntl is None:
        with _locked_file(folder / _LOCK):
            yield recover(folder)
        return
    handle = os.open(folder, os.O_RDONLY)
    try:
        fcntl.flock(handle, fcntl.LOCK_EX)
        yield recover(folder)
    finally:
        os.close(handle)


@contextlib.contextmanager
def _locked_file(path: Path) -> Iterator[None]:
    """Hold the first byte of the lock file locked (msvcrt, waiting as long as it takes)."""
    import msvcrt
    import time

    handle = os.open(path, os.O_RDWR | os.O_CREAT | getattr(os, "O_BINARY", 0), 0o644)
    try:
        while True:
            try:
                msvcrt.locking(handle, msvcrt.LK_NBLCK, 1)
                break
            except OSError:  # held by another chancery: wait
                time.sleep(0.1)
        try:
            yield
        finally:
            os.lseek(handle, 0, os.SEEK_SET)
            msvcrt.locking(handle, msvcrt.LK_UNLCK, 1)
    finally:
        os.close(handle)


def commit(folder: Path, files: dict[str, bytes], manifest: Manifest) -> None:
    """Write the files and the manifest into the (opened) folder: after a kill at any moment,
    and recovery, either all of them are the new ones or all the old ones."""
    token = secrets.token_hex(6)
    contents = {**files, MANIFEST: manifest.to_bytes()}
    renames = [(f"{_TEMPORARY}{token}.{name}", name) for name in contents]
    journal = folder / f"{_TEMPORARY}{token}{_JOURNAL}"
    try:
        for temporary, name in renames:
            _write_synced(folder / temporary, contents[name])
        _write_synced(journal, json.dumps({"renames": renames}, indent=1).encode())
        _sync_folder(folder)
    except BaseException:
        for path in [journal, *(folder / temporary for temporary, _ in renames)]:
            path.unlink(missing_ok=True)
        raise
    os.replace(journal, folder / _JOURNAL)  # the commit point
    _sync_folder(folder)
    _roll_forward(folder, renames)


# Building into the archive.

@dataclass(frozen=True)
class Output:
    """A file a build made, ready to go into the archive."""

    path: Path
    """Where it goes: the meeting's folder and the versioned name."""
    data: bytes
    """Its complete content."""
    entry: Entry
    """What the manifest is to record of it."""
    version_field: str
    """The input field that gives its version, such as "outcome.version"."""


@dataclass(frozen=True)
class Step:
    """What a build does with one output."""

    output: Output
    """The file."""
    action: str
    """"new", "unchanged", "replaced" (a draft, with --replace-draft) or "restored" (a listed
    file missing or damaged, built again with the recorded bytes)."""


_LAST_NUMBER = re.compile(r"\d+(?=\D*$)")


def _bump(version: str) -> str:
    """Return the version with its last number counted up, or "-2" appended if it has none."""
    match = _LAST_NUMBER.search(version)
    if match is None:
        return f"{version}-2"
    digits = match.group()
    return f"{version[:match.start()]}{int(digits) + 1:0{len(digits)}d}{version[match.end():]}"


def next_version(version: str, taken: set[str]) -> str:
    """Return the first version after this one that is not taken: its last number counted up
    ("0.1" -> "0.2", "1.0-rc9" -> "1.0-rc10"), or "-2" appended if it has none."""
    candidate = _bump(version)
    while candidate in taken:
        candidate = _bump(candidate)
    return candidate


def _present(path: Path) -> bytes | None:
    """Return the bytes of the archive's file at path, or None if there is none; raise
    ArchiveError if something else is there: a folder, a link, a FIFO, a device, a file too
    large or one that cannot be read."""
    try:
        mode = path.lstat().st_mode
    except FileNotFoundError:
        return None
    if not stat.S_ISREG(mode):
        what = ("a folder" if stat.S_ISDIR(mode) else "a link" if stat.S_ISLNK(mode) else
                "a named pipe (FIFO)" if stat.S_ISFIFO(mode) else "a device or socket")
        raise ArchiveError([f"{path} is {what}, not a file chancery wrote; move it out of the "
                            "folder"])
    try:
        return read_regular(path, limit=ARCHIVED_FILE, what="an archived file")
    except UnreadableFile as error:
        raise ArchiveError([f"{path}: {error.reason}"]) from None


def _file_sha256(path: Path) -> str | None:
    """Return the SHA-256 of the archive's file, or None if there is none; raise ArchiveError
    as _present does."""
    data = _present(path)
    return None if data is None else sha256(data)


def own_status(data: bytes) -> str | None:
    """Return the status a built PDF or DOCX file carries in its own keywords (see
    STATUS_MARK), or None if it carries none or cannot be read."""
    keywords = ""
    try:
        if data.startswith(b"%PDF"):
            import pikepdf

            with pikepdf.open(io.BytesIO(data)) as pdf:
                keywords = str(pdf.docinfo.get("/Keywords", ""))
        elif data.startswith(b"PK"):
            with zipfile.ZipFile(io.BytesIO(data)) as package:
                info = package.getinfo("docProps/core.xml")
                if info.file_size <= 1024 * 1024:
                    keywords = package.read(info).decode("utf-8", "replace")
    except Exception:  # a damaged file carries no status it could be trusted for
        return None
    found = re.search(re.escape(STATUS_MARK) + "(" + "|".join(STATUSES) + ")", keywords)
    return found.group(1) if found else None


def _decide(output: Output, recorded: Entry | None, taken: set[str],
            replace_draft: bool) -> tuple[str, str | None]:
    """Return the action for one output and, if it is refused, the reason (then the action is
    "")."""
    path, new = output.path, output.entry
    data = _present(path)
    present = None if data is None else sha256(data)
    if recorded is None:
        return ("new", None) if present is None else ("", (
            f"{path} exists but {MANIFEST} does not list it; move it out of the folder and build "
            "again"))
    bump = f"give {output.version_field} a new version, e.g. {next_version(new.version, taken)}"
    if recorded.built_sha256 == new.sha256 and recorded.status == new.status:
        if present == recorded.sha256:
            return "unchanged", None
        if recorded.seal is None:
            return "restored", None
        return "", (f"{path} is missing or changed, and its sealed copy cannot be built again; "
                    "restore it from a backup (chancery verify shows what is wrong)")
    carried = own_status(data) if data is not None else None
    if not recorded.kept and carried in ("final", "signed"):
        return "", (f"{path} holds a {carried} version, as the file itself says, though "
                    f"{MANIFEST} records it as a draft; it is never replaced; {bump} (chancery "
                    "verify shows what is wrong)")
    if recorded.kept:
        sealed = " sealed" if recorded.seal else ""
        return "", (f"{path} holds the {recorded.status}{sealed} version {recorded.version}, which "
                    f"is never replaced; {bump}")
    if replace_draft:
        return "replaced", None
    if recorded.built_sha256 == new.sha256:
        return "", (f"{path} holds version {recorded.version} as a draft; to record it as "
                    f"{new.status}, {bump}, or build with --replace-draft")
    return "", (f"{path} already holds a different draft of version {recorded.version}; {bump}, "
                "or build with --replace-draft")


def plan(folder: Path, outputs: list[Output], replace_draft: bool) -> tuple[list[Step], list[str]]:
    """Return what a build does with each output in the (opened) folder and every refusal."""
    manifest = read_manifest(folder) if folder.is_dir() else None
    recorded = manifest.files if manifest else {}
    steps, refusals, seen = [], [], {}
    for output in outputs:
        name = output.path.name
        if name in seen and seen[name].data == output.data:  # the same input named twice
            continue
        if name in seen:
            refusals.append(f"{output.path} is built from both {seen[name].entry.input_file} and "
                            f"{output.entry.input_file}; give the meetings different ids")
            continue
        seen[name] = output
        taken = {entry.version for entry in recorded.values()
                 if entry.document == output.entry.document}
        try:
            action, refusal = _decide(output, recorded.get(name), taken, replace_draft)
        except ArchiveError as error:
            action, refusal = "", "\n".join(error.messages)
        if refusal:
            refusals.append(refusal)
        else:
            steps.append(Step(output, action))
    return steps, refusals


def apply(folder: Path, steps: list[Step]) -> None:
    """Write the steps' files that change and the new manifest into the (opened) folder in one
    commit; write nothing if nothing changes."""
    changed = [step.output for step in steps if step.action != "unchanged"]
    if not changed:
        return
    manifest = read_manifest(folder) or Manifest(folder.name, {})
    files = {**manifest.files, **{output.path.name: output.entry for output in changed}}
    commit(folder, {output.path.name: output.data for output in changed},
           replace(manifest, files=files))


def archive_outputs(outputs: list[Output],
                    replace_draft: bool = False) -> tuple[list[Step], list[str]]:
    """Put the outputs into their meetings' folders, each folder in one commit; return every
    step and the notes of what recovery did. Raise ArchiveError with every refusal, in every
    folder, before anything is written."""
    folders: dict[Path, list[Output]] = {}
    for output in outputs:
        folders.setdefault(output.path.parent, []).append(output)
    with contextlib.ExitStack() as stack:
        notes = [recovery_note(folder, stack.enter_context(opened(folder)))
                 for folder in sorted(folders) if folder.is_dir()]
        plans = {folder: plan(folder, chosen, replace_draft) for folder, chosen in folders.items()}
        refusals = [refusal for _, folder_refusals in plans.values() for refusal in folder_refusals]
        if refusals:
            raise ArchiveError(refusals)
        for folder, (steps, _) in plans.items():
            made = []
            try:
                if not folder.is_dir():  # new: lock it, and plan again in case another build made it
                    made = [parent for parent in [folder, *folder.parents] if not parent.exists()]
                    folder.mkdir(parents=True, exist_ok=True)
                    stack.enter_context(opened(folder))
                    steps, refusals = plan(folder, folders[folder], replace_draft)
                    if refusals:
                        raise ArchiveError(refusals)
                apply(folder, steps)
            except BaseException:
                stack.close()  # unlock before removing the folders this build made
                for parent in made:
                    with contextlib.suppress(OSError):  # kept if anything is in it
                        (parent / _LOCK).unlink(missing_ok=True)
                        parent.rmdir()
                raise
    return [step for steps, _ in plans.values() for step in steps], [note for note in notes if note]


# Checking and sealing.

@contextlib.contextmanager
def opened_archive(folder: Path) -> Iterator[tuple[Manifest, str | None]]:
    """Open an archive folder as opened does; yield its manifest and what recovery did. Raise
    NotAnArchive for a folder that is none, DamagedManifest for an unreadable manifest."""
    if not folder.is_dir():
        raise NotAnArchive([f"{folder}: {'not a folder' if folder.exists() else 'no such folder'}"])
    with opened(folder) as recovered:
        manifest = read_manifest(folder)
        if manifest is None:
            raise NotAnArchive([f"{folder}: not a chancery archive (no {MANIFEST})"])
        yield manifest, recovered


@dataclass(frozen=True)
class Verification:
    """What `chancery verify` found in a folder."""

    folder: Path
    """The folder checked."""
    listed: int
    """How many files the manifest lists."""
    problems: tuple[str, ...]
    """One line per missing, changed or unlisted file and per seal that does not hold."""
    recovered: str | None
    """What recovery did first (see recover), or None."""

    @property
    def summary(self) -> str:
        """Return the one-line verdict."""
        if not self.problems:
            return f"{self.folder}: all {self.listed} files listed in {MANIFEST} are intact"
        count = len(self.problems)
        return (f"{self.folder}: {count} problem{'s' if count != 1 else ''} among "
                f"{self.listed} listed files")


def verify(folder: Path) -> Verification:
    """Return what checking the archive folder finds, after recovering it; raise NotAnArchive
    for a folder that is none and DamagedManifest for an unreadable manifest."""
    with opened_archive(folder) as (manifest, recovered):
        problems = []
        for name, entry in sorted(manifest.files.items()):
            problems += _file_problems(folder / name, entry)
        problems += [f"{path}: not listed in {MANIFEST}"
                     for path in sorted(folder.iterdir())
                     if path.name not in (MANIFEST, _LOCK) and path.name not in manifest.files]
    return Verification(folder, len(manifest.files), tuple(problems), recovered)


def _file_problems(path: Path, entry: Entry) -> list[str]:
    """Return what is wrong with one listed file: missing, changed, or a seal that does not hold."""
    try:
        data = _present(path)
    except ArchiveError as error:
        return list(error.messages)
    if data is None:
        return [f"{path}: missing"]
    problems = []
    if sha256(data) != entry.sha256:
        problems.append(f"{path}: changed (its SHA-256 is {sha256(data)}, the manifest "
                        f"records {entry.sha256})")
    elif len(data) != entry.size:
        problems.append(f"{path}: the manifest records a size of {entry.size} bytes, the file "
                        f"has {len(data)}")
    carried = own_status(data)
    if carried is not None and carried != entry.status:
        problems.append(f"{path}: the file itself says it is {carried}, {MANIFEST} says "
                        f"{entry.status}; the manifest was edited")
    if entry.seal is not None:
        problems += [f"{path}: {problem}" for problem in seal_problems(data)]
    return problems


def seal_problems(data: bytes) -> list[str]:
    """Return why the PDF's seal does not hold, or [] if it does."""
    from .seal import check_seal

    try:
        report = check_seal(data)
    except Exception as error:  # a damaged file may fail the PDF reader in its own way: a finding
        return [f"the seal cannot be checked ({error or type(error).__name__})"]
    if not report.sealed:
        return ["the manifest records a seal, but the file carries none"]
    if not report.intact or report.problems:
        reasons = "; ".join(report.problems) or "the file changed after sealing"
        return [f"the seal does not hold: {reasons}"]
    return []


def seal_file(path: Path, pkcs12: bytes, passphrase: bytes | None = None,
              reason: str | None = None) -> Entry:
    """Seal a final or signed PDF of an archive in place, in one commit with its manifest entry;
    return the new entry. Raise ArchiveError if the file cannot or may not be sealed."""
    from .seal import SealError, check_seal, seal_pdf

    folder = path.parent
    with opened_archive(folder) as (manifest, _):
        entry = manifest.files.get(path.name)
        _check_sealable(path, entry)
        data = _present(path)
        try:
            sealed = seal_pdf(data, pkcs12, passphrase, reason)
        except SealError as error:
            raise ArchiveError([f"{path}: cannot be sealed: {error}"]) from None
        report = check_seal(sealed)
        if not (report.sealed and report.intact):
            raise ArchiveError([f"{path}: the seal did not hold after sealing: "
                                f"{'; '.join(report.problems)}"])
        new = replace(entry, sha256=sha256(sealed), size=len(sealed),
                      seal=Seal(report.signer, report.signed_at, entry.sha256, reason))
        commit(folder, {path.name: sealed},
               replace(manifest, files={**manifest.files, path.name: new}))
    return new


def _check_sealable(path: Path, entry: Entry | None) -> None:
    """Raise ArchiveError unless the listed file may be sealed: a PDF, final or signed, not
    sealed yet, unchanged since it was built."""
    if entry is None:
        raise ArchiveError([f"{path}: not listed in {path.parent / MANIFEST}; only files chancery "
                            "built into the archive can be sealed"])
    if entry.pdfa is None:
        raise ArchiveError([f"{path}: only PDF files can be sealed"])
    if entry.seal is not None:
        raise ArchiveError([f"{path}: already sealed (by {entry.seal.signer}, "
                            f"{entry.seal.signed_at}); a file is sealed once"])
    if entry.status == "draft":
        raise ArchiveError([f"{path}: a draft cannot be sealed; seal only a final or signed "
                            "version (set its status to final, give it a new version and build)"])
    if _file_sha256(path) != entry.sha256:
        raise ArchiveError([f"{path}: missing or changed since chancery built it; run chancery "
                            "verify"])
