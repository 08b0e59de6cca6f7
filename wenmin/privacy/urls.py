from __future__ import annotations

from django.urls import path

from wenmin.privacy import views, views_second_factor

app_name = "privacy"
urlpatterns = [
    path("", views.home, name="home"),
    path("people/", views.people, name="people"),
    path("people/<int:person_id>/", views.person, name="person"),
    path("people/<int:person_id>/export/", views.person_export, name="person_export"),
    path("people/<int:person_id>/erase/", views.person_erase, name="person_erase"),
    path("access/", views.access_log, name="access_log"),
    path("accounts/", views.accounts, name="accounts"),
    # Under /privacy/2fa/: open to an account that still owes its second factor.
    path("2fa/", views_second_factor.status, name="second_factor"),
    path("2fa/enrol/", views_second_factor.enrol, name="second_factor_enrol"),
    path("2fa/verify/", views_second_factor.verify, name="second_factor_verify"),
    path("2fa/recovery/", views_second_factor.recovery, name="second_factor_recovery"),
]
