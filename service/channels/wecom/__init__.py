"""WeCom (企业微信) app: `router` serves `/wecom`."""

from service.channels.wecom.routes import router

__all__ = ["router"]
