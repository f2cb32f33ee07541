from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.urls import include, path, re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from luxyhome import metrics, views
from luxyhome.api.routers import optional_slash_path
from luxyhome.api.views import api_not_found

admin.site.site_header = "Luxyhome administration"
admin.site.site_title = "Luxyhome administration"
admin.site.index_title = "Run the shop"

api_urlpatterns = [
    path("auth/", include("accounts.urls")),
    path("", include("catalog.urls")),
    path("", include("cart.urls")),
    path("", include("orders.urls")),
    path("", include("payments.urls")),
    path("", include("analytics.urls")),
    optional_slash_path("schema", SpectacularAPIView.as_view(), name="schema"),
    # its start script from /api/docs?script, not inline: the Content-Security-Policy runs no inline script
    optional_slash_path("docs", SpectacularSwaggerSplitView.as_view(url_name="schema"), name="docs"),
]

urlpatterns = [
    path("", views.LandingView.as_view(), name="landing"),
    optional_slash_path("healthz", views.healthz, name="healthz"),
    optional_slash_path("readyz", views.readyz, name="readyz"),
    optional_slash_path("metrics", metrics.metrics, name="metrics"),
    path("admin/", admin.site.urls),
    path("api/", include(api_urlpatterns)),
    re_path(r"^api/", api_not_found),
    *static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT),
]

handler400 = views.bad_request
handler500 = views.server_error
