"""The OpenAPI document lists every status code an operation can answer, so clients (and schemathesis) see them."""

from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.openapi import AutoSchema
from rest_framework.permissions import AllowAny

ERROR_BODY = {
    "type": "object",
    "additionalProperties": True,
    "description": "{field: [message]} or {detail: message}",
}


def _error(description):
    return {"description": description, "content": {"application/json": {"schema": ERROR_BODY}}}


class ApiSchema(AutoSchema):
    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        if direction != "response":
            return responses
        extra = {}
        view = self.view
        has_query = self.method == "GET" and (self._get_paginator() is not None or self.get_filter_backends())
        if self.method in ("POST", "PUT", "PATCH") or has_query or self._get_paginator() is not None:
            extra["400"] = _error("Field errors (bad body or query parameter: page, page_size, filters)")
        if not any(isinstance(p, AllowAny) for p in view.get_permissions()):
            extra["401"] = _error("Not authenticated, or the token is invalid or expired")
        if "{" in self.path:
            extra["404"] = _error("Unknown or not visible")
        elif self._get_paginator() is not None:
            extra["404"] = _error("Page past the last one")
        for code, response in extra.items():
            responses.setdefault(code, response)
        return responses


class ExpiringTokenScheme(OpenApiAuthenticationExtension):
    target_class = "api.authentication.ExpiringTokenAuthentication"
    name = "tokenAuth"

    def get_security_definition(self, auto_schema):
        return {
            "type": "apiKey",
            "in": "header",
            "name": "Authorization",
            "description": "`Token <token>` from POST /api/v1/auth/token/; it expires (see `expiry`) and ends on "
            "logout, logout-all, a password change or a role revocation.",
        }
