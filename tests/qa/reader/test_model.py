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


def test_a_window_reads_the_same_whatever_is_read_beside_it() -> None:
    """The int8 graph scales activations per tensor: batched, a window's logits moved with the other
    windows. Read one at a time, a window's reading is a function of that window alone."""
    from qa.reader.windows import Passage, build_window

    reader = OnnxReader()
    tok = reader.tokenizer
    texts = ["全市共设立查控点45个，抽调民警300多名。", "“健康守门人”志愿服务队为独居老人提供上门服务。" * 3]
    windows = [build_window(tok, "全市设了几个查控点？", [Passage(t, 0)], 0) for t in texts]
    alone = reader.read(windows[:1])[0]
    beside = reader.read(windows)[0]
    assert alone.span == beside.span and (alone.char_start, alone.char_end) == (beside.char_start, beside.char_end)


def test_loading_in_the_background_then_reading_loads_once() -> None:
    reader = OnnxReader()
    reader.warm_up_in_background()
    reader.warm_up()  # waits for the background load (one lock), then finds it done
    session = reader._session
    reader.warm_up()
    assert session is not None and reader._session is session


def test_a_damaged_model_loaded_in_the_background_still_fails_the_reading(tmp_path: Path) -> None:
    path = tmp_path / "reader.onnx"
    path.write_bytes(b"not a model")
    shutil.copy(DEFAULT_MODEL.with_suffix(".json"), path.with_suffix(".json"))
    reader = OnnxReader(path)
    reader.warm_up_in_background()
    with pytest.raises(ReaderModelError, match="damaged"):
        reader.warm_up()
