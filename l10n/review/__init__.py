"""``l10n review``: a local web app to review and correct translations side by side with their source.

``create_app`` builds the ASGI app (Starlette); ``server.run`` serves it on 127.0.0.1.
"""

from l10n.review.app import Settings, create_app

__all__ = ["Settings", "create_app"]
