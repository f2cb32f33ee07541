from analytics import views
from luxyhome.api.routers import optional_slash_path

urlpatterns = [
    optional_slash_path("admin/analytics", views.AnalyticsView.as_view(), name="admin-analytics"),
]
