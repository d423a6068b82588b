"""WeChat official account: `router` serves `/wechat`."""

from service.channels.wechat.routes import router

__all__ = ["router"]
