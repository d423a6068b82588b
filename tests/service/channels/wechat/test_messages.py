"""WeChat-family messages: the reply XML carries any text safely."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from wechatpy.replies import TextReply

from service.channels.wechat.messages import NO_REPLY, WECHAT, render, xml_safe


def test_content_survives_the_reply_xml() -> None:
    content = "a]]>b <tag> &amp; \x01 c"
    xml = TextReply(source="gh", target="u", content=xml_safe(content)).render()
    assert ET.fromstring(xml).findtext("Content") == "a]]>b <tag> &amp;  c"


def test_no_reply_is_the_body_wechat_reads_as_none() -> None:
    assert render(WECHAT, None, None) == NO_REPLY  # type: ignore[arg-type]
