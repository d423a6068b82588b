"""The switch to a new index is one atomic step: a build killed (SIGKILL, a real process) at any
point between its steps leaves an index that opens, and the next build removes what it left."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from index.local.build import build_index
from index.local.load import open_index
from tests.conftest import ROOT

# A build in its own process that kills itself at one checkpoint of the switch.
KILLED_BUILD = """
import os, signal, sys
from index.local import swap
from index.local.build import build_index

def crash(stage):
    if stage == sys.argv[3]:
        os.kill(os.getpid(), signal.SIGKILL)

swap.checkpoint = crash
build_index(sys.argv[1], sys.argv[2], progress=False)
"""


def killed_build(docs: Path, index: Path, stage: str) -> None:
    run = subprocess.run([sys.executable, "-c", KILLED_BUILD, str(docs), str(index), stage], cwd=ROOT)
    assert run.returncode == -9  # it died at the checkpoint, as a kill or a power cut would


def beside(index: Path) -> set[str]:
    return {p.name for p in index.parent.iterdir() if p.name.startswith(f".{index.name}.")} - {f".{index.name}.lock"}


@pytest.fixture
def two_versions(built_copy: tuple[Path, Path], tmp_path: Path) -> tuple[Path, Path, Path]:
    """The built tiny index (rebuilt once, so that it is a link to a generation rather than the
    copied folder), and a second docs folder with one more report."""
    docs, index = built_copy
    build_index(docs, index, progress=False)
    newer = tmp_path / "newer"
    shutil.copytree(docs, newer)
    (newer / "more.txt").write_text("又一份报告说明天气晴朗。\n", encoding="utf-8")
    return docs, newer, index


@pytest.mark.parametrize("stage", ["written", "switched"])
def test_a_build_killed_between_the_steps_leaves_an_index_that_opens(
    two_versions: tuple[Path, Path, Path], stage: str
) -> None:
    docs, newer, index = two_versions
    old_count = len(open_index(docs, index, rebuild=False, progress=False))
    killed_build(newer, index, stage)
    assert beside(index)  # the killed build left folders behind
    if stage == "written":  # killed before the switch: the old index, whole
        assert len(open_index(docs, index, rebuild=False, progress=False)) == old_count
    else:  # killed after it: the new one, whole
        assert len(open_index(newer, index, rebuild=False, progress=False)) > old_count
    build_index(newer, index, progress=False)
    live = index.resolve().name
    assert beside(index) == {live}  # the next build removed every leftover
    assert len(open_index(newer, index, rebuild=False, progress=False)) > old_count


def test_the_index_path_is_a_link_to_a_complete_generation(tiny_docs: Path, tmp_path: Path) -> None:
    index = tmp_path / "index"
    build_index(tiny_docs, index, progress=False)
    first = index.resolve()
    assert index.is_symlink() and (first / "manifest.json").is_file()
    build_index(tiny_docs, index, progress=False)
    assert index.resolve() != first and not first.exists()  # the replaced generation is gone
    assert beside(index) == {index.resolve().name}
