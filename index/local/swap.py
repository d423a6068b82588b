"""Switching an index directory to a new build in one atomic step.

The index path (`var/index`) is a symbolic link to a generation folder beside it
(`.index.gen-<pid>-<random>`). A build writes a new generation, then renames a new link over the
old one: `rename` is atomic, so a reader sees the old index or the new one, never none, whenever a
build is killed. Builds take a lock file beside the index, so two processes (say, two `serve`
workers) never build at once; whoever holds it removes what killed builds left behind.

An index folder from before generations (a real directory) is moved into a generation by the first
build; that one-time move is the only step that is not atomic.
"""

from __future__ import annotations

import fcntl
import logging
import os
import shutil
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

log = logging.getLogger(__name__)
# A status line for whoever waits on a build (the service's /readyz shows the last one).
Progress = Callable[[str], None] | None
# Prefixes of what a build leaves beside the index; `.building-` and `.old-` are earlier versions'.
LEFTOVERS = ("gen-", "link-", "building-", "old-")


def _beside(index_dir: Path, kind: str) -> str:
    return f".{index_dir.name}.{kind}"


@contextmanager
def build_lock(index_dir: Path) -> Iterator[None]:
    """Held while building: a second builder waits, then finds the index built."""
    index_dir.parent.mkdir(parents=True, exist_ok=True)
    with open(index_dir.parent / _beside(index_dir, "lock"), "a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def live_generation(index_dir: Path) -> Path | None:
    """The generation folder the index path points to (None when it is not a link)."""
    if not index_dir.is_symlink():
        return None
    return index_dir.parent / os.readlink(index_dir)


def remove_leftovers(index_dir: Path) -> list[str]:
    """Remove generations no link points to and other folders of killed builds (call with the
    build lock held, so none of them is in use by a build); returns their names."""
    live = live_generation(index_dir)
    removed = []
    for kind in LEFTOVERS:
        for path in index_dir.parent.glob(_beside(index_dir, kind) + "*"):
            if live is not None and path.name == live.name:
                continue
            if path.is_symlink() or path.is_file():
                path.unlink(missing_ok=True)
            else:
                shutil.rmtree(path, ignore_errors=True)
            removed.append(path.name)
    if removed:
        log.warning("removed %d leftover(s) of interrupted index builds beside %s", len(removed), index_dir)
    return removed


@contextmanager
def new_generation(index_dir: Path) -> Iterator[Path]:
    """A fresh generation folder beside index_dir, removed again unless `switch_to` published it."""
    index_dir.parent.mkdir(parents=True, exist_ok=True)
    prefix = _beside(index_dir, f"gen-{os.getpid()}-")
    folder = Path(tempfile.mkdtemp(prefix=prefix, dir=index_dir.parent))
    try:
        yield folder
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        raise


def _adopt_directory(index_dir: Path) -> Path:
    """Move an index folder of the old layout into a generation, so a link can replace it."""
    adopted = Path(tempfile.mkdtemp(prefix=_beside(index_dir, f"gen-{os.getpid()}-"), dir=index_dir.parent))
    os.rmdir(adopted)
    os.rename(index_dir, adopted)
    return adopted


def switch_to(generation: Path, index_dir: Path) -> None:
    """Point index_dir at `generation` with one rename, then remove the generation it replaced."""
    previous = live_generation(index_dir)
    if index_dir.is_dir() and previous is None:
        previous = _adopt_directory(index_dir)
    link = index_dir.parent / _beside(index_dir, f"link-{os.getpid()}")
    link.unlink(missing_ok=True)
    os.symlink(generation.name, link)  # relative: the parent folder can be moved or copied whole
    checkpoint("written")
    os.replace(link, index_dir)
    checkpoint("switched")
    if previous is not None and previous.name != generation.name:
        shutil.rmtree(previous, ignore_errors=True)


def checkpoint(stage: str) -> None:
    """A point between the steps of a switch ("written", "switched"): tests kill a build here."""
