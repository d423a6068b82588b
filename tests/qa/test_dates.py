"""English dates written as the report writes them."""

import pytest

from qa.dates import chinese_dates


@pytest.mark.parametrize(
    ("asked", "written"),
    [
        ("How many officers were drawn on February 2?", "How many officers were drawn on 2月2日?"),
        ("What happened on Jan. 31, 2020?", "What happened on 2020年1月31日?"),
        ("What was done on the 7th of February?", "What was done on 2月7日?"),
        ("Who spoke on 12 Oct?", "Who spoke on 10月12日?"),
        ("What changed in February 2020?", "What changed in 2020年2月?"),
        ("What changed in December?", "What changed in 12月?"),
        ("May I ask who came?", "May I ask who came?"),  # a verb, not a month
        ("How many marched in March?", "How many marched in March?"),  # a month alone only where unambiguous
        ("What about Feb 45?", "What about Feb 45?"),  # no such day
    ],
)
def test_dates(asked: str, written: str) -> None:
    assert chinese_dates(asked) == written
