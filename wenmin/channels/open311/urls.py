"""/open311/v2/: GeoReport v2 and FixMyStreet's servicerequestupdates, each as .xml or .json."""

from __future__ import annotations

from django.urls import path, re_path, register_converter

from wenmin.channels import fixmystreet
from wenmin.channels.open311 import views


class FormatConverter:
    regex = "xml|json"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(FormatConverter, "open311_format")

app_name = "open311"
urlpatterns = [
    path("discovery.<open311_format:format>", views.discovery, name="discovery"),
    path("services.<open311_format:format>", views.services, name="services"),
    path(
        "services/<str:service_code>.<open311_format:format>",
        views.service_definition,
        name="service_definition",
    ),
    path("requests.<open311_format:format>", views.requests, name="requests"),
    path(
        "requests/<str:service_request_id>.<open311_format:format>",
        views.request_detail,
        name="request",
    ),
    path("tokens/<str:token>.<open311_format:format>", views.token, name="token"),
    path(
        "servicerequestupdates.<open311_format:format>",
        fixmystreet.servicerequestupdates,
        name="servicerequestupdates",
    ),
    re_path(r"^.*\.(?P<format>json)$", views.not_found),
    re_path(r"^.*$", views.not_found, name="not_found"),
]
