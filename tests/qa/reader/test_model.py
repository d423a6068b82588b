"""The shipped reader: its checksum guards the file; a missing or damaged file is one clear error."""

import shutil
from pathlib import Path

import pytest

from qa.errors import ReportQAError
from qa.reader.model import DEFAULT_MODEL, OnnxReader, ReaderModelError


def test_the_shipped_model_loads_and_reads() -> None:
    reader = OnnxReader()
    reader.warm_up()
    tok = reader.tokenizer
    from qa.reader.windows import Passage, build_window

    text = "全市共设立查控点45个。"
    (r,) = reader.read([build_window(tok, "全市设了几个查控点？", [Passage(text, 0)], 0)])
    assert text[r.char_start : r.char_end] in text and r.span.start <= r.span.end


@pytest.mark.parametrize("damage", ["missing", "flipped", "card"])
def test_a_missing_or_damaged_model_is_one_clear_error(tmp_path: Path, damage: str) -> None:
    path = tmp_path / "reader.onnx"
    shutil.copy(DEFAULT_MODEL, path)
    shutil.copy(DEFAULT_MODEL.with_suffix(".json"), path.with_suffix(".json"))
    if damage == "missing":
        path.unlink()
    elif damage == "flipped":
        data = bytearray(path.read_bytes())
        data[len(data) // 2] ^= 0xFF
        path.write_bytes(bytes(data))
    else:
        path.with_suffix(".json").write_text("{not json", encoding="utf-8")
    with pytest.raises(ReaderModelError) as err:
        OnnxReader(path).warm_up()
    assert isinstance(err.value, ReportQAError) and err.value.code == "reader_unavailable"
    assert "\n" not in str(err.value) and str(path.with_suffix(".json" if damage == "card" else ".onnx")) in str(
        err.value
    )
