from __future__ import annotations

from django.urls import URLPattern, URLResolver, path

from wenmin.commerce import views

app_name = "commerce"
urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.home, name="home"),
    path("farmers/", views.farmers, name="farmers"),
    path("farmers/new/", views.farmer_new, name="farmer_new"),
    path("farmers/<int:farmer_id>/", views.farmer_detail, name="farmer"),
    path("items/<int:produce_id>/", views.produce_detail, name="produce"),
    path("outlets/", views.outlets, name="outlets"),
    path("contact/", views.contact, name="contact"),
    path("sales/", views.sales, name="sales"),
    path("market/", views.market, name="market"),
    path("market/<int:township_id>/", views.market_township, name="market_township"),
]
