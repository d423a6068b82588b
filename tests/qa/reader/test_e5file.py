import numpy as np
import pytest

from qa.reader.e5file import QK, E5File, E5FileError, dequantize, embed_rows


@pytest.fixture(scope="module")
def e5() -> E5File:
    return E5File()


def test_config_is_multilingual_e5_small(e5: E5File) -> None:
    c = e5.config
    assert (c.hidden, c.layers, c.heads, c.ffn, c.max_positions) == (384, 12, 12, 1536, 512)
    assert e5.word_blocks.shape == (c.vocab, c.hidden // QK)
    assert len(e5.tokenizer.pieces) <= c.vocab


def test_dequantize_follows_the_q4_0_layout() -> None:
    block = np.zeros(1, dtype=[("d", "<f2"), ("qs", "u1", (16,))])
    block["d"] = 0.5
    block["qs"][0, 0] = 0x9F  # weight 0 = low nibble 15, weight 16 = high nibble 9
    out = dequantize(block)
    assert out.shape == (32,)
    assert out[0] == pytest.approx((15 - 8) * 0.5)
    assert out[16] == pytest.approx((9 - 8) * 0.5)
    assert out[1] == pytest.approx(-8 * 0.5)


def test_embed_rows_reads_only_the_rows_asked_for(e5: E5File) -> None:
    ids = np.array([[5, 6], [5, 7]])
    rows = embed_rows(e5.word_blocks, ids)
    assert rows.shape == (2, 2, 384)
    np.testing.assert_array_equal(rows[0, 0], rows[1, 0])
    assert not np.allclose(rows[0, 1], rows[1, 1])


@pytest.mark.parametrize("payload", [b"", b"XXXX" + bytes(64), b"E5S1" + bytes(10)])
def test_damaged_image_is_one_clear_error(tmp_path, payload: bytes) -> None:
    path = tmp_path / "e5.bin"
    path.write_bytes(payload)
    with pytest.raises(E5FileError, match=r"e5 model image|truncated|cannot read"):
        E5File(path)
