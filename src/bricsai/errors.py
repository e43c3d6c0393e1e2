"""One error type for bad input, so every message names the file and the problem."""

from __future__ import annotations

from pathlib import Path


class DataError(ValueError):
    """Raised when an input file or data frame is unusable.

    The message always starts with the file (or data set) name so that a reader of a failed
    build knows where to look, then says what is wrong.
    """

    def __init__(self, source: str | Path, problem: str):
        self.source = str(source)
        self.problem = problem
        super().__init__(f"{self.source}: {problem}")
