"""Typed errors with messages for people: each names the file (or field) and what to do."""

from __future__ import annotations


class AkhbarError(Exception):
    """Base of every error akhbar reports to a user without a traceback."""


class InputError(AkhbarError):
    """Input that cannot be read as news: names the file, the place and the problem."""

    def __init__(self, path: str, problem: str, where: str | None = None):
        self.path, self.problem, self.where = str(path), problem, where
        loc = f"{self.path}:{where}" if where else self.path
        super().__init__(f"{loc}: {problem}")

    def __reduce__(self):
        # a worker process returns these to the parent: rebuild from the fields, not the message
        return type(self), (self.path, self.problem, self.where)


class StoreError(AkhbarError):
    """The store could not be opened or written (locked, full, newer schema …)."""


class QueryError(AkhbarError):
    """A search or filter the user gave cannot be run."""


class NotFound(AkhbarError):
    """A requested article, story, entity or event does not exist."""
