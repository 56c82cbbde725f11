"""Every string value of a TOML document (already validated by tomllib) with its path, offsets and style."""

from __future__ import annotations

import contextlib
import re
import tomllib

from .keys import Path

_BARE_KEY = re.compile(r"[A-Za-z0-9_-]+")
_OTHER_VALUE = re.compile(r"[^,\]}#\r\n]+")


def toml_strings(source: str) -> list[tuple[Path, int, int, str]]:
    """``(path, start, end, style)`` of each string; style is ``basic``, ``literal``, ``ml-basic`` or ``ml-literal``.

    On syntax this scanner does not know, what it located so far is sound and the rest stays as it is.
    """
    scanner = _Scanner(source)
    with contextlib.suppress(ValueError, IndexError):
        scanner.scan()
    return scanner.found


class _Scanner:
    def __init__(self, source: str) -> None:
        self.source = source
        self.pos = 0
        self.found: list[tuple[Path, int, int, str]] = []

    def scan(self) -> None:
        table: Path = ()
        array_tables: dict[Path, int] = {}
        while True:
            self._skip(newlines=True)
            if self.pos >= len(self.source):
                return
            if self.source.startswith("[[", self.pos):
                self.pos += 2
                table = self._table(self._key(), array_tables, is_array=True)
                self.pos = self.source.index("]]", self.pos) + 2
            elif self.source[self.pos] == "[":
                self.pos += 1
                table = self._table(self._key(), array_tables, is_array=False)
                self.pos = self.source.index("]", self.pos) + 1
            else:
                names = self._key()
                self._expect("=")
                self._value((*table, *names))

    @staticmethod
    def _table(names: tuple[str, ...], array_tables: dict[Path, int], is_array: bool) -> Path:
        path: Path = ()
        for index, name in enumerate(names):
            path = (*path, name)
            if is_array and index == len(names) - 1:
                array_tables[path] = array_tables.get(path, 0) + 1
            if path in array_tables:
                path = (*path, array_tables[path] - 1)
        return path

    def _skip(self, newlines: bool = False) -> None:
        source = self.source
        while self.pos < len(source):
            ch = source[self.pos]
            if ch in " \t" or (newlines and ch in "\r\n"):
                self.pos += 1
            elif ch == "#":
                while self.pos < len(source) and source[self.pos] not in "\r\n":
                    self.pos += 1
            else:
                return

    def _expect(self, token: str) -> None:
        self._skip()
        if not self.source.startswith(token, self.pos):
            raise ValueError(f"expected {token!r} at {self.pos}")
        self.pos += len(token)

    def _key(self) -> tuple[str, ...]:
        names = []
        while True:
            self._skip()
            if self.source[self.pos] in "\"'":
                end = self._string_end(self.pos)
                names.append(next(iter(tomllib.loads(self.source[self.pos : end] + " = 0"))))
                self.pos = end
            else:
                match = _BARE_KEY.match(self.source, self.pos)
                if match is None:
                    raise ValueError(f"expected a key at {self.pos}")
                names.append(match.group())
                self.pos = match.end()
            self._skip()
            if not self.source.startswith(".", self.pos):
                return tuple(names)
            self.pos += 1

    def _string_end(self, start: int) -> int:
        source = self.source
        quote = source[start]
        if source.startswith(quote * 3, start):
            pos = start + 3
            while not source.startswith(quote * 3, pos):
                pos += 2 if quote == '"' and source[pos] == "\\" else 1
            run = 3
            while run < 5 and source.startswith(quote, pos + run):
                run += 1
            return pos + run
        pos = start + 1
        while source[pos] != quote:
            pos += 2 if quote == '"' and source[pos] == "\\" else 1
        return pos + 1

    def _value(self, path: Path) -> None:
        self._skip()
        source, start = self.source, self.pos
        ch = source[start]
        if ch in "\"'":
            self.pos = self._string_end(start)
            multiline = source.startswith(ch * 3, start)
            style = ("ml-" if multiline else "") + ("basic" if ch == '"' else "literal")
            self.found.append((path, start, self.pos, style))
        elif ch in "[{":
            self.pos += 1
            closing = "]" if ch == "[" else "}"
            index = 0
            while True:
                self._skip(newlines=True)
                if source[self.pos] == closing:
                    self.pos += 1
                    return
                if ch == "[":
                    self._value((*path, index))
                    index += 1
                else:
                    names = self._key()
                    self._expect("=")
                    self._value((*path, *names))
                self._skip(newlines=True)
                if source[self.pos] == ",":
                    self.pos += 1
        else:
            match = _OTHER_VALUE.match(source, start)
            self.pos = match.end() if match else start + 1
