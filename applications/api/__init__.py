"""The portal's REST API, /api/v1/ (docs/api.md): Django REST framework for the HTTP side,
drf-spectacular for the OpenAPI schema. The views validate with the web pages' own forms and
change things only through applications.services, so the API and the pages agree on every rule."""
