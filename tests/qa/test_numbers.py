"""Arabic renderings of the report's quantities for English readers."""

import pytest

from qa.numbers import arabic


@pytest.mark.parametrize(
    ("quantity", "expected"),
    [("16万个", "160,000"), ("三十人", "30"), ("1.5万元", "15,000"), ("4位", None), ("很多", None)],
)
def test_arabic(quantity: str, expected: str | None) -> None:
    assert arabic(quantity) == expected
