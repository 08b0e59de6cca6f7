from __future__ import annotations

from django.urls import URLPattern, URLResolver, path

from wenmin.platforms import (
    views,
    views_errands,
    views_export,
    views_public,
    views_stations,
)

app_name = "platforms"
urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.home, name="home"),
    path("<int:unit_id>/", views_public.public, name="public"),
    path("<int:unit_id>/services/", views_public.services_list, name="services_list"),
    path("<int:unit_id>/waits/", views_public.waits_list, name="waits_list"),
    path("<int:unit_id>/ratings/", views_public.ratings_list, name="ratings_list"),
    path("<int:unit_id>/rate/", views_public.rate, name="rate"),
    path("<int:unit_id>/rate/thanks/", views_public.rated, name="rated"),
    path("<int:unit_id>/desk/", views.desk, name="desk"),
    path("<int:unit_id>/records/new/", views.record_new, name="record_new"),
    path("<int:unit_id>/cases/new/", views.case_new, name="case_new"),
    path("<int:unit_id>/queue/take/", views.ticket_take, name="ticket_take"),
    path("<int:unit_id>/queue/call/", views.ticket_call, name="ticket_call"),
    path("<int:unit_id>/records/export/", views_export.records_export, name="records_export"),
    path("<int:unit_id>/catalogue/", views.catalogue, name="catalogue"),
    path("<int:unit_id>/catalogue/add/", views.item_add, name="item_add"),
    path("<int:unit_id>/hours/", views.hours_set, name="hours_set"),
    path("<int:unit_id>/errands/", views_errands.errands, name="errands"),
    path("<int:unit_id>/roster/", views_stations.roster, name="roster"),
    path("<int:unit_id>/visitors/", views_stations.visitors, name="visitors"),
    path("records/<int:record_id>/", views.record_detail, name="record_detail"),
    path("items/<int:item_id>/", views.item_edit, name="item_edit"),
    path("items/<int:item_id>/offer/", views.item_offer, name="item_offer"),
    path("duty/<int:shift_id>/remove/", views_stations.duty_remove, name="duty_remove"),
    path("errands/mine/", views_errands.my_errands, name="my_errands"),
    path("errands/<int:errand_id>/", views_errands.errand_detail, name="errand_detail"),
    path("errands/<int:errand_id>/take/", views_errands.errand_take, name="errand_take"),
    path("errands/<int:errand_id>/handover/", views_errands.handover, name="handover"),
]
