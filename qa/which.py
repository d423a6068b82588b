"""English which-X questions: the Chinese words that name X, so that the reader's span can be held to
a name of that class.

The reader answers "Which police station does 李继刚 work at?" with 东海县 of 东海县公安局曲阳派出所 and
"Which hospital sent general practitioners?" with the services the doctors gave: English questions
are glossed in training, and a gloss keeps the class noun without saying that the answer is one of
it. A Chinese question writes the class (哪个派出所) and the reader keeps to it; an English one is
read through CC-CEDICT (派出所 "local police station", 医院 "hospital"). Only "which": a Chinese name
of a place or an organisation ends with its class (曲阳派出所, 市第一人民医院), what "what X" asks for
seldom does (What supplies… → 肉蛋、蔬菜)."""

from __future__ import annotations

import re

from qa.cedict import words_naming
from qa.counted import stem

# "which X", "which kind of X"; X is one word or two ("police station").
_WHICH = re.compile(
    r"\bwhich\s+(?:(?:kind|type|sort)s?\s+of\s+)?(?P<first>[A-Za-z]+)(?:\s+(?P<second>[A-Za-z]+))?",
    re.IGNORECASE,
)
# Words after which that do not name a class: "Which is…", "Which of…".
_NOT_A_CLASS = frozenset(
    """
    is are was were be been do does did has have had can could will would should may might must
    of the a an about happened happens else
    """.split()
)


def class_words(question: str) -> tuple[str, ...]:
    """The Chinese words naming the class a which-X question asks for; () for other questions or a
    class the dictionary does not name."""
    m = _WHICH.search(question)
    if m is None or m.group("first").lower() in _NOT_A_CLASS:
        return ()
    first, second = m.group("first").lower(), (m.group("second") or "").lower()
    if second and second not in _NOT_A_CLASS and (words := words_naming(f"{first} {stem(second)}")):
        return words
    return words_naming(stem(first))
