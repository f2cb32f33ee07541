from catalog import views
from luxyhome.api.routers import OptionalSlashRouter

router = OptionalSlashRouter()
router.register("categories", views.CategoryViewSet, basename="category")
router.register("products", views.ProductViewSet, basename="product")

urlpatterns = router.urls
