"""The Content-Security-Policy header, from the settings Django 6.0 introduces.

Django 6.0 ships ContentSecurityPolicyMiddleware, configured by SECURE_CSP and
SECURE_CSP_REPORT_ONLY (directive -> list of sources). This is the same, without
nonces (no page here has inline code): on Django 6.0, delete this module and list
django.middleware.csp.ContentSecurityPolicyMiddleware instead; the settings stay.
"""

from django.conf import settings

ENFORCED = "Content-Security-Policy"
REPORT_ONLY = "Content-Security-Policy-Report-Only"


def header_value(policy):
    return "; ".join(" ".join([directive, *sources]) for directive, sources in policy.items())


class ContentSecurityPolicyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self.headers = {
            name: header_value(policy)
            for name, policy in (
                (ENFORCED, getattr(settings, "SECURE_CSP", {})),
                (REPORT_ONLY, getattr(settings, "SECURE_CSP_REPORT_ONLY", {})),
            )
            if policy
        }

    def __call__(self, request):
        response = self.get_response(request)
        for name, value in self.headers.items():
            response.headers.setdefault(name, value)
        return response
