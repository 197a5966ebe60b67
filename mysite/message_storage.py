"""Flash messages in a __Host- prefixed cookie, like the session and CSRF cookies in production.

The prefix makes browsers accept the cookie only if it is Secure, for the whole site
(Path=/), and set by this host itself (no Domain): a sibling subdomain cannot plant it.
"""

from django.contrib.messages.storage.cookie import CookieStorage
from django.contrib.messages.storage.fallback import FallbackStorage
from django.contrib.messages.storage.session import SessionStorage


class HostPrefixedCookieStorage(CookieStorage):
    cookie_name = "__Host-messages"


class HostPrefixedFallbackStorage(FallbackStorage):
    storage_classes = (HostPrefixedCookieStorage, SessionStorage)
