from __future__ import annotations

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from wenmin.api import api
from wenmin.core import views as core_views

admin.site.site_header = admin.site.site_title = "问民 Wenmin"

urlpatterns = [
    path("", core_views.root, name="root"),
    # Browsers ask for /favicon.ico whatever the page says.
    path("favicon.ico", core_views.favicon),
    path("", include("wenmin.core.urls_ops")),  # /healthz, /readyz, /metrics
    path("i18n/", include("django.conf.urls.i18n")),
    path("accounts/login/", core_views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("admin/", admin.site.urls),
    path("audit/", include("wenmin.core.urls")),
    path("org/", include("wenmin.organisation.urls")),
    path("volunteer/", include("wenmin.organisation.urls_volunteer")),
    path("cases/", include("wenmin.cases.urls")),
    path("portal/", include("wenmin.cases.urls_portal")),
    path("scoreboard/", include("wenmin.scoreboard.urls")),
    path("privacy/", include("wenmin.privacy.urls")),
    path("residents/", include("wenmin.residents.urls")),
    path("households/", include("wenmin.households.urls")),
    path("inquiry/", include("wenmin.inquiry.urls")),
    path("councils/", include("wenmin.councils.urls")),
    path("surveys/", include("wenmin.surveys.urls")),
    path("insight/", include("wenmin.insight.urls")),
    path("wechat/", include("wenmin.wechat.urls")),
    path("groups/", include("wenmin.groups.urls")),
    path("messaging/", include("wenmin.messaging.urls")),
    path("volunteers/", include("wenmin.volunteers.urls")),
    path("platforms/", include("wenmin.platforms.urls")),
    path("deeds/", include("wenmin.deeds.urls")),
    path("commerce/", include("wenmin.commerce.urls")),
    path("projects/", include("wenmin.projects.urls")),
    path("villages/", include("wenmin.villages.urls")),
    path("branchlife/", include("wenmin.branchlife.urls")),
    path("topics/", include("wenmin.topics.urls")),
    path("points/", include("wenmin.points.urls")),
    path("frontline/", include("wenmin.frontline.urls")),
    path("open311/v2/", include("wenmin.channels.open311.urls")),
    path("api/v1/", api.urls),
]

handler403 = "wenmin.core.views.permission_denied"
handler404 = "wenmin.core.views.page_not_found"
handler500 = "wenmin.core.views.server_error"
