"""The chat page at `/`, with headers that keep other sites from framing it and injected markup
from running.

The page's own script and style are inline; the Content-Security-Policy allows exactly those
blocks by their sha256, computed from the file when the app starts, so editing the page needs no
change here."""

from __future__ import annotations

import base64
import hashlib
import re
from pathlib import Path

from fastapi.responses import HTMLResponse

PAGE = Path(__file__).parent / "static" / "index.html"
INLINE = re.compile(r"<(script|style)>(.*?)</\1>", re.DOTALL)


def content_security_policy(html: str) -> str:
    hashes: dict[str, list[str]] = {"script": [], "style": []}
    for tag, body in INLINE.findall(html):
        digest = base64.b64encode(hashlib.sha256(body.encode()).digest()).decode()
        hashes[tag].append(f"'sha256-{digest}'")
    script, style = (" ".join(hashes[tag]) or "'none'" for tag in ("script", "style"))
    return "; ".join(
        [
            "default-src 'none'",
            f"script-src {script}",
            f"style-src {style}",
            "connect-src 'self'",
            "img-src 'self' data:",
            "base-uri 'none'",
            "form-action 'none'",
            "frame-ancestors 'none'",
        ]
    )


class ChatPage:
    """Read once: the page served and the hashes in its policy must agree."""

    def __init__(self, path: Path = PAGE) -> None:
        self.html = path.read_text(encoding="utf-8")
        self.headers = {
            "Content-Security-Policy": content_security_policy(self.html),
            "X-Frame-Options": "DENY",
            "X-Content-Type-Options": "nosniff",
            "Referrer-Policy": "no-referrer",
        }

    def response(self) -> HTMLResponse:
        return HTMLResponse(self.html, headers=self.headers)
