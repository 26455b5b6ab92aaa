"""`Authorization: Bearer <key>`: the key's kind decides what it may read or change."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import authentication, exceptions, permissions

from applications.models import ApiKeyKind
from applications.services.api_keys import api_key_authenticate

KEY_REFUSED = _("The API key is unknown, revoked or expired.")


class ApiKeyAuthentication(authentication.BaseAuthentication):
    def authenticate(self, request):
        header = authentication.get_authorization_header(request).decode("latin-1")
        scheme, _space, raw = header.partition(" ")
        if scheme.lower() != "bearer":
            return None
        key = api_key_authenticate(raw.strip())
        if key is None:
            raise exceptions.AuthenticationFailed(KEY_REFUSED)
        # A company key acts as the member who made it; a border key as the admin who made it,
        # though it only reads.
        return key.created_by, key

    def authenticate_header(self, request) -> str:
        # Makes a missing or refused key a 401 (with this challenge), not a 403.
        return 'Bearer realm="api"'


class ApiKeyScheme(OpenApiAuthenticationExtension):
    target_class = ApiKeyAuthentication
    name = "apiKey"

    def get_security_definition(self, auto_schema):
        return {"type": "http", "scheme": "bearer", "description": "mep_<prefix>_<secret>, made on the company page"}


class _KeyOfKind(permissions.BasePermission):
    kind: str
    message = _("This API key may not use this endpoint.")

    def has_permission(self, request, view) -> bool:
        return request.auth is not None and getattr(request.auth, "kind", None) == self.kind


class CompanyKey(_KeyOfKind):
    kind = ApiKeyKind.EMPLOYER


class BorderKey(_KeyOfKind):
    kind = ApiKeyKind.BORDER
