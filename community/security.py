"""Security headers Django does not send itself. Django's SecurityMiddleware sends Referrer-Policy,
X-Content-Type-Options, Cross-Origin-Opener-Policy and HSTS; django-csp sends Content-Security-Policy."""

from django.conf import settings


class SecurityHeadersMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        response.headers.setdefault("Cross-Origin-Resource-Policy", "same-origin")
        return response
