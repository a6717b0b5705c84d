"""The API's documentation page (`/api/v1/docs`)."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from ninja import NinjaAPI
from ninja.openapi.docs import DocsBase


class EndpointList(DocsBase):
    """The docs page: the endpoints listed from the OpenAPI document, rendered on the server.

    No script and no CDN, so it holds under the site's Content Security Policy; interactive
    documentation can be had by loading openapi.json into any OpenAPI tool.
    """

    def render_page(self, request: HttpRequest, api: NinjaAPI, **kwargs) -> HttpResponse:
        schema = api.get_openapi_schema(path_params=kwargs)
        endpoints = [
            {
                "method": method.upper(),
                "path": path,
                "summary": operation.get("summary", ""),
                "description": operation.get("description", ""),
                "needs_token": bool(operation.get("security")),
                "answers": sorted(operation.get("responses", {})),
            }
            for path, methods in schema["paths"].items()
            for method, operation in methods.items()
        ]
        context = {
            "api": api,
            "endpoints": endpoints,
            "openapi_url": self.get_openapi_url(api, kwargs),
        }
        return render(request, "agenda/api_docs.html", context)
