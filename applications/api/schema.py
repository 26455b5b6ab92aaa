"""The OpenAPI schema names every refusal an endpoint may give, with its JSON body
(applications/api/errors.py): 400, 401, 403 and 429 for any endpoint that takes a key, 404 where
the path names an object or the list has pages, 413 where a body is sent. An endpoint adds
the others it gives (409, 415) with `refused_responses` in its `extend_schema`."""

from __future__ import annotations

from drf_spectacular.openapi import AutoSchema
from rest_framework.permissions import AllowAny

from applications.api.errors import refused_responses

BODY_METHODS = {"POST", "PUT", "PATCH"}


class ApiAutoSchema(AutoSchema):
    def _refusals(self) -> list[int]:
        if all(isinstance(permission, AllowAny) for permission in self.view.get_permissions()):
            return []
        # 400 also for a query string no endpoint reads (a NUL byte: portal/security/request_hygiene.py).
        codes = [400, 401, 403, 429]
        if "{" in self.path or (self.method == "GET" and self._get_paginator() is not None):
            codes.append(404)
        if self.method in BODY_METHODS:
            codes.append(413)
        return sorted(codes)

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        for code, response in refused_responses(*self._refusals()).items():
            if str(code) not in responses:
                responses[str(code)] = self._get_response_for_code(response, str(code), direction=direction)
        return dict(sorted(responses.items()))
