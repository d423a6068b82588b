import numpy as np
import pytest

from qa.reader.e5file import QK, E5File, E5FileError, _split_pieces, dequantize, embed_rows


@pytest.fixture(scope="module")
def e5() -> E5File:
    return E5File()


def test_config_is_multilingual_e5_small(e5: E5File) -> None:
    c = e5.config
    assert (c.hidden, c.layers, c.heads, c.ffn, c.max_positions) == (384, 12, 12, 1536, 512)
    assert e5.word_blocks.shape == (c.vocab, c.hidden // QK)
    assert len(e5.tokenizer.pieces) <= c.vocab


def _one_by_one(blob: bytes, offs: list[int]) -> tuple[str, ...]:
    return tuple(blob[offs[i] : offs[i + 1]].decode("utf-8", "replace") for i in range(len(offs) - 1))


@pytest.mark.parametrize(
    "pieces",
    [[b"a"], ["▁连云港".encode(), b"", "口罩".encode(), b"x"], [b"\xe5\x8f", b"ok", "港".encode()[:1] + b"z"]],
)
def test_pieces_split_in_one_pass_as_decoded_one_by_one(pieces: list[bytes]) -> None:
    blob = b"".join(pieces)
    offs = [0]
    for p in pieces:
        offs.append(offs[-1] + len(p))
    got = _split_pieces(np.frombuffer(blob, dtype=np.uint8), np.array(offs, dtype="<u4"))
    assert got == _one_by_one(blob, offs)


def test_the_shipped_vocabulary_is_unique_text(e5: E5File) -> None:
    raw = e5.tokenizer.pieces
    assert len(raw) == len(set(raw))  # unique: the tokenizer's piece → id table loses nothing
    assert raw[e5.tokenizer.unk] == "<unk>" and all(raw)


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
