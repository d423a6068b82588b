"""Arabic renderings of the report's quantities for English readers: 16万个 → 160,000."""

from __future__ import annotations

import importlib
import logging
import re

# cn2an logs a warning for some inputs; the caller handles failures itself.
logging.getLogger("cn2an").setLevel(logging.ERROR)

NUMBER_PART = re.compile(r"(\d+(?:\.\d+)?|[零〇一二两三四五六七八九十百千]+)([万亿千百]?)")


def arabic(quantity: str) -> str | None:
    """ "16万个" → "160,000"; None when the report's own digits already say it ("4位") or no
    number is found."""
    m = NUMBER_PART.search(quantity)
    if not m:
        return None
    digits, scale = m.groups()
    if digits.replace(".", "").isdigit() and not scale:
        return None
    try:
        # Imported here: cn2an compiles its patterns on import (about a second of a cold start), and
        # only English replies need it.
        cn2an = importlib.import_module("cn2an")
        value = float(cn2an.cn2an(digits + scale, "smart"))
    except (ValueError, KeyError, TypeError):
        return None
    return f"{value:,.0f}" if value.is_integer() else f"{value:,}"
