"""Pass 1's verdict on each valid row: its unique file name, and what pass 2 does with its files.

Kept per row as an action byte and the file-name stem (about 100 bytes a row), not the row itself,
so that memory stays flat however long the input is. Every format of a row shares its stem.
"""

from __future__ import annotations

import contextlib
import os
import re
from array import array
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from hrdocs.batch import manifest
from hrdocs.batch.options import Options
from hrdocs.errors import HrdocsError
from hrdocs.naming import UniqueNames, safe_file_name

SKIP, WRITE, DONE, ADOPT, REPLACE = 0, 1, 2, 3, 4
"""What pass 2 does with a row: nothing, write it, nothing (its files are done), write what is missing
and keep what matches (``--resume``), replace (``--force``)."""

_LEFTOVER = re.compile(r"\.(.+)\.[^.]+\.part$")
"""``.NAME.docx.PID-N.part``: how :func:`hrdocs.output.write_atomic` names its temporary file."""


@dataclass
class Checked:
    """What pass 1 tells the main process of one row."""

    ordinal: int
    number: int
    kind: str
    stem: str | None
    input_sha256: str
    problems: list[tuple[str | None, int | None, str | None, str]]
    """(source, line, field, message); source None: the row itself."""
    warnings: list[str]
    spooled: tuple[str, int, int] | None = None
    """Where the rendered row lies: (spool file, offset, length)."""


class Decisions:
    def __init__(
        self,
        options: Options,
        folders: Mapping[str, Path],
        formats: Mapping[str, Sequence[str]],
        manifest_path: Path,
        expected: Callable[[str], tuple[str, str]],
    ) -> None:
        """``expected(kind)``: the (template hash, settings hash) a file of that kind is made with now."""
        self.options = options
        self.folders = folders
        self.formats = formats
        self.root = manifest_path.parent.resolve()
        self.actions = bytearray()
        self.stems: list[str | None] = []
        self.kind_of: list[str | None] = []
        self.spools: list[str] = []
        """The workers' spool files; a row's index in it, offset and length are in ``where``."""
        self.where = array("q")
        self._spool_index: dict[str, int] = {}
        self.names = UniqueNames()
        self.kinds: set[str] = set()
        self.pending = 0
        self.skipped = 0
        self._existing: dict[Path, set[str]] = {}
        self._leftovers: dict[str, list[str]] = {}
        self._recorded = recorded(manifest_path) if options.resume else {}
        self._expected = expected
        self.conflicts: list[int] = []
        """The first rows whose files exist (by number: a file's name holds the candidate's)."""
        self.conflict_folders: set[Path] = set()
        self.changed: dict[str, tuple[int, list[int]]] = {}
        """Under ``--resume``, by reason: how many rows have files the manifest records otherwise, and the
        first few of them (memory stays flat however many there are)."""
        self.conflict_count = 0

    def row(self) -> None:
        self.actions.append(SKIP)
        self.stems.append(None)
        self.kind_of.append(None)
        self.where.extend((-1, 0, 0))

    def names_of(self, kind: str, stem: str) -> list[str]:
        return [safe_file_name(stem, f".{fmt}") for fmt in self.formats[kind]]

    def valid(self, item: Checked) -> None:
        assert item.stem is not None
        stem = self.names.claim(item.stem)
        self.stems[item.ordinal] = stem
        self.kind_of[item.ordinal] = item.kind
        if item.spooled is not None:
            spool, offset, length = item.spooled
            index = self._spool_index.setdefault(spool, len(self.spools))
            if index == len(self.spools):
                self.spools.append(spool)
            at = 3 * item.ordinal
            self.where[at : at + 3] = array("q", (index, offset, length))
        self.kinds.add(item.kind)
        folder = self.folders[item.kind]
        existing = self._existing.get(folder)
        if existing is None:
            existing = self._existing[folder] = self._listing(folder)
        names = self.names_of(item.kind, stem)
        if self.options.resume:
            for name in names:
                for part in self._leftovers.pop(name, ()):  # a temporary file of a killed run
                    with contextlib.suppress(OSError):
                        (folder / part).unlink()
        action = WRITE
        taken = [name for name in names if name in existing]
        if taken:
            if len(taken) == len(names) and all(self._done(item, folder / n) for n in names):
                action = DONE
            elif self.options.force:
                action = REPLACE
            elif self.options.resume:
                action = ADOPT
                why = self._changed(item, [folder / n for n in taken])
                if why is not None:  # refused now, with the reason, not as "exists" after other writes
                    action = SKIP
                    count, rows = self.changed.get(why, (0, []))
                    self.changed[why] = (count + 1, rows if len(rows) >= SHOWN_ROWS else [*rows, item.number])
            else:
                action = SKIP
                self.conflict_count += len(taken)
                self.conflict_folders.add(folder)
                if len(self.conflicts) < SHOWN_ROWS:
                    self.conflicts.append(item.number)
        self.actions[item.ordinal] = action
        self.pending += action in (WRITE, ADOPT, REPLACE)
        self.skipped += action == DONE

    def _listing(self, folder: Path) -> set[str]:
        """The names in ``folder``; temporary files left by a killed run are noted for --resume."""
        names = set(os.listdir(folder)) if folder.is_dir() else set()
        for name in names:
            match = _LEFTOVER.match(name)
            if match:
                self._leftovers.setdefault(match.group(1), []).append(name)
        return names

    def _changed(self, item: Checked, targets: list[Path]) -> str | None:
        """Why ``--resume`` must not keep or finish a row's files, as the manifest tells: the row
        changed since they were written, or the template or settings did, or a file was edited."""
        template, settings = self._expected(item.kind)
        for target in targets:
            found = self._recorded.get(manifest.relative(target.resolve(), self.root))
            if found is None:
                continue  # written, not yet recorded (a killed run): pass 2 keeps it if it matches
            if found[0] != item.input_sha256:
                return ROW_CHANGED
            if found[1:3] != (template, settings):
                return TEMPLATE_CHANGED
            if found[3] != _size(target):
                return FILE_CHANGED
        return None

    def _done(self, item: Checked, target: Path) -> bool:
        found = self._recorded.get(manifest.relative(target.resolve(), self.root))
        if found is None:
            return False
        template, settings = self._expected(item.kind)
        return found == (item.input_sha256, template, settings, _size(target))

    def raise_conflicts(self, source: str = "the input") -> None:
        if self.changed:
            raise _changed_error(source, self.changed)
        if not self.conflict_count:
            return
        count = self.conflict_count
        rows = ", ".join(f"{source}:{n}" for n in self.conflicts)
        more = " and more" if count > len(self.conflicts) else ""
        folders = ", ".join(str(f) for f in sorted(self.conflict_folders))
        raise HrdocsError(
            f"{count} file{'s' if count != 1 else ''} already exist{'' if count != 1 else 's'} in {folders}, "
            f"not overwritten: the files of {rows}{more}",
            hint="pass --resume to finish an interrupted batch, or --force to replace them",
        )


ROW_CHANGED = "row"
TEMPLATE_CHANGED = "template"
FILE_CHANGED = "file"
_WHY = {
    ROW_CHANGED: "the row changed since its documents were written",
    TEMPLATE_CHANGED: "its documents were written with another template or other company settings than now",
    FILE_CHANGED: "a document of it was changed after it was written",
}
_FIXES = {
    ROW_CHANGED: "restore the rows",
    TEMPLATE_CHANGED: "restore the template and settings they were written with",
    FILE_CHANGED: "move the changed documents away",
}
SHOWN_ROWS = 10
"""Rows named in the message before ``and N more``."""


def _changed_error(source: str, changed: dict[str, tuple[int, list[int]]]) -> HrdocsError:
    """One error for every row ``--resume`` will not touch, each as ``file:row: why``, grouped by why."""
    total = sum(count for count, _ in changed.values())
    lines = [
        f"{total} row{'s' * (total != 1)} cannot be resumed, so nothing was written (--resume keeps only "
        "documents made from the same rows, template and settings):"
    ]
    for why, (count, rows) in changed.items():
        lines.extend(f"  {source}:{row}: {_WHY[why]}" for row in rows)
        if count > len(rows):
            lines.append(f"  … and {count - len(rows)} more row{'s' * (count - len(rows) != 1)} like these")
    fixes = " or ".join(_FIXES[why] for why in changed)
    return HrdocsError("\n".join(lines), hint=f"re-run with --force to replace them, or {fixes}")


def recorded(path: Path) -> dict[str, tuple[str, str, str, int]]:
    """The manifest's files: path -> (input hash, template hash, settings hash, size)."""
    return {
        rel: (
            str(entry.get("input_sha256")),
            str(entry.get("template_sha256")),
            str(entry.get("settings_sha256")),
            int(entry.get("bytes") or -1),
        )
        for rel, entry in manifest.read(path).items()
    }


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return -2
