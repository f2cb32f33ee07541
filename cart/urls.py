from cart import views
from luxyhome.api.routers import OptionalSlashRouter, optional_slash_path

router = OptionalSlashRouter()
router.register("cart/items", views.CartItemViewSet, basename="cart-item")

urlpatterns = [optional_slash_path("cart", views.CartView.as_view(), name="cart"), *router.urls]
