from luxyhome.api.routers import OptionalSlashRouter
from orders import views

router = OptionalSlashRouter()
router.register("orders", views.OrderViewSet, basename="order")

urlpatterns = router.urls
