"""The package's one error type for bad input.

Every problem with what a user gave us (a raw file, a parameter, a command-line value) is raised
as :class:`InputError`, whose message names the file, row, column, offending value and what was
expected, so a non-programmer can find and fix it. The CLI turns it into exit status 2.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass
class InputError(Exception):
    """Bad input, located as precisely as we can.

    ``row`` is the spreadsheet-style row number in the file (the header is row 1, the first data
    row is row 2) for tabular files, or the 1-based record number for JSON.
    """

    message: str
    file: str | Path | None = None
    row: int | None = None
    column: str | None = None
    value: object = None
    expected: str | None = None

    def __post_init__(self) -> None:
        super().__init__(str(self))

    def __str__(self) -> str:
        where = []
        if self.file is not None:
            where.append(f"file {Path(self.file).as_posix()}")
        if self.row is not None:
            where.append(f"row {self.row}")
        if self.column is not None:
            where.append(f"column '{self.column}'")
        text = (", ".join(where) + ": " if where else "") + self.message
        if self.value is not None:
            text += f" (found {self.value!r})"
        if self.expected:
            text += f"; expected {self.expected}"
        return text

    def located(self, file: str | Path | None = None, row: int | None = None,
                column: str | None = None) -> "InputError":
        """A copy with the location filled in where it is still unknown."""
        return InputError(self.message, self.file if self.file is not None else file,
                          self.row if self.row is not None else row,
                          self.column if self.column is not None else column,
                          self.value, self.expected)
