"""Validation errors in our own words: pydantic's messages ("Input should be a valid dictionary",
"Value error, …") name its internals, not what the client should send instead."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

# pydantic error type -> a sentence saying what to send; `c` is the error's context (limits …).
MESSAGES: dict[str, Callable[[Mapping[str, Any]], str]] = {
    "missing": lambda c: "is required",
    "extra_forbidden": lambda c: "is not a field of this request: remove it",
    "string_type": lambda c: "must be text (a JSON string)",
    "string_too_short": lambda c: f"must have at least {c.get('min_length')} character(s)",
    "string_too_long": lambda c: f"must have at most {c.get('max_length')} characters",
    "int_type": lambda c: "must be a whole number",
    "int_parsing": lambda c: "must be a whole number",
    "int_from_float": lambda c: "must be a whole number",
    "greater_than_equal": lambda c: f"must be {c.get('ge')} or more",
    "less_than_equal": lambda c: f"must be {c.get('le')} or less",
    "bool_type": lambda c: "must be true or false",
    "bool_parsing": lambda c: "must be true or false",
    "list_type": lambda c: "must be a list (a JSON array)",
    "too_short": lambda c: f"must have at least {c.get('min_length')} item(s)",
    "too_long": lambda c: f"must have at most {c.get('max_length')} items",
    "dict_type": lambda c: "must be an object (a JSON object with named fields)",
    "model_type": lambda c: "must be an object (a JSON object with named fields)",
    "model_attributes_type": lambda c: "must be an object (a JSON object with named fields)",
    "literal_error": lambda c: f"must be one of {c.get('expected')}",
    "enum": lambda c: f"must be one of {c.get('expected')}",
    "union_tag_invalid": lambda c: "has a type this service does not know",
    # Our own validators raise ValueError with a full sentence: use it, without pydantic's prefix.
    "value_error": lambda c: str(c.get("error", "is not valid")),
}
FALLBACK = "is not valid here"


def field_name(loc: tuple[object, ...]) -> str:
    """`messages.0.role` for a body field; the whole body is "the body"."""
    parts = [str(p) for p in loc if p not in ("body", "query", "path", "header")]
    # A union reports which of its types it tried ("str", "list[…]"): that is ours to know.
    return ".".join(p for p in parts if not any(ch in p for ch in "[]") and p not in ("str", "int")) or "the body"


def explain(error: Mapping[str, Any]) -> str:
    """One pydantic error as `field: what to send`."""
    make = MESSAGES.get(str(error.get("type")))
    text = make(error.get("ctx") or {}) if make else FALLBACK
    return f"{field_name(tuple(error.get('loc', ())))}: {text}"
