"""jieba's word frequencies and part-of-speech tags, read from a cache file instead of into memory.

Loading jieba's dictionary (about 500,000 words and prefixes) and its tag table costs a new process
one to two seconds of CPU, most of a short command's run. The same tables written once to SQLite in
the data folder are looked up word by word as cutting needs them: opening the file costs
milliseconds, and each lookup is remembered, so a corpus's repeated words hit a dict. The values are
jieba's own (copied from a Tokenizer and a POSTokenizer that loaded them), so cuts and tags are the
same as with the tables in memory.
"""

from __future__ import annotations

import hashlib
import os
import sqlite3
import threading
from collections.abc import Iterator, Mapping
from pathlib import Path

import jieba

SCHEMA = 1
_MISSING = object()


def cache_path(folder: Path) -> Path:
    """The cache file for the installed jieba dictionary: a new jieba version gets its own file."""
    with jieba.dt.get_dict_file() as f:
        digest = hashlib.sha256(f.read()).hexdigest()[:16]
    return folder / f"jieba-{SCHEMA}-{digest}.sqlite3"


class LazyTable(Mapping[str, object]):
    """A read-only str -> value table in one SQLite table, each key looked up once and remembered."""

    def __init__(self, con: sqlite3.Connection, lock: threading.Lock, table: str) -> None:
        self._con, self._lock, self._table = con, lock, table
        self._seen: dict[str, object] = {}
        self._query = f"SELECT v FROM {table} WHERE k = ?"  # table: one of two constants

    def _lookup(self, key: str) -> object:
        value = self._seen.get(key, _MISSING)
        if value is _MISSING:
            with self._lock:
                row = self._con.execute(self._query, (key,)).fetchone()
            value = row[0] if row is not None else None
            self._seen[key] = value
        return value

    def __getitem__(self, key: str) -> object:
        value = self._lookup(key) if isinstance(key, str) else None
        if value is None:
            raise KeyError(key)
        return value

    def __contains__(self, key: object) -> bool:
        return isinstance(key, str) and self._lookup(key) is not None

    def get(self, key: str, default: object = None) -> object:
        value = self._lookup(key) if isinstance(key, str) else None
        return default if value is None else value

    def __iter__(self) -> Iterator[str]:
        with self._lock:
            keys = [k for (k,) in self._con.execute(f"SELECT k FROM {self._table}")]
        return iter(keys)

    def __len__(self) -> int:
        with self._lock:
            return int(self._con.execute(f"SELECT count(*) FROM {self._table}").fetchone()[0])


class Lexicon:
    """jieba's word frequencies (`freq`, with `total`) and word tags (`tags`) from a cache file."""

    def __init__(self, path: Path) -> None:
        con = sqlite3.connect(f"file:{path}?mode=ro", uri=True, check_same_thread=False)
        lock = threading.Lock()
        self.total = int(con.execute("SELECT v FROM meta WHERE k = 'total'").fetchone()[0])
        self.freq = LazyTable(con, lock, "freq")
        self.tags = LazyTable(con, lock, "tags")


def write_cache(path: Path, freq: Mapping[str, int], total: int, tags: Mapping[str, str]) -> None:
    """Write the tables to `path` through a temporary file, so a reader never sees half a file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f"{path.name}.{os.getpid()}.tmp")
    tmp.unlink(missing_ok=True)
    try:
        with sqlite3.connect(tmp) as con:
            con.execute("CREATE TABLE meta (k TEXT PRIMARY KEY, v INTEGER NOT NULL) WITHOUT ROWID")
            con.execute("CREATE TABLE freq (k TEXT PRIMARY KEY, v INTEGER NOT NULL) WITHOUT ROWID")
            con.execute("CREATE TABLE tags (k TEXT PRIMARY KEY, v TEXT NOT NULL) WITHOUT ROWID")
            con.execute("INSERT INTO meta VALUES ('total', ?)", (total,))
            con.executemany("INSERT INTO freq VALUES (?, ?)", freq.items())
            con.executemany("INSERT INTO tags VALUES (?, ?)", tags.items())
        con.close()
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)


def open_cache(path: Path) -> Lexicon | None:
    """The cached tables, or None when the file is missing or unreadable (then it is rebuilt)."""
    if not path.is_file():
        return None
    try:
        return Lexicon(path)
    except (sqlite3.Error, TypeError):
        return None
