from django.http import HttpResponse
from drf_spectacular.utils import OpenApiExample, extend_schema
from rest_framework import status, viewsets
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from cart.exceptions import CartFull
from cart.models import MAX_LINES
from cart.selectors import CartContents, cached_cart_answer, cart_answer_key
from cart.serializers import CartItemAddSerializer, CartItemUpdateSerializer, CartSerializer
from cart.services import cart_add, cart_item_remove, cart_item_update
from luxyhome.api.renderers import JSONRenderer, json_response
from luxyhome.api.schema import problems
from luxyhome.api.views import CachedAnswerMixin, NoStoreMixin

SHORTAGE_EXAMPLE = {
    "status": 409,
    "code": "insufficient_stock",
    "detail": "Not enough stock for some items.",
    "shortages": [{"product_id": 1, "name": "Emerald Velvet Sofa", "requested": 5, "available": 3}],
}
INSUFFICIENT_STOCK = problems(
    {409: "More than the stock on hand (`insufficient_stock`); `shortages` says how many there are."},
    SHORTAGE_EXAMPLE,
)
ADD_ERRORS = problems(
    {
        409: "More than the stock on hand (`insufficient_stock`; `shortages` says how many there are), or a "
        f"product not in the cart yet when it holds {MAX_LINES} already (`cart_full`)."
    },
    SHORTAGE_EXAMPLE,
    {"status": 409, "code": "cart_full", "detail": CartFull(MAX_LINES).detail},
)
QUANTITY_EXAMPLE = OpenApiExample("quantity", {"quantity": 2}, request_only=True)


class CartAnswerMixin(CachedAnswerMixin, NoStoreMixin):
    """The signed-in shopper's cart, at today's prices."""

    permission_classes = [IsAuthenticated]

    def answer_key(self, request):
        return cart_answer_key(request.user) if request.method in ("GET", "HEAD") else None

    def cart_response(self, request, status_code=status.HTTP_200_OK, cart: CartContents | None = None) -> HttpResponse:
        """The cart answer: `cart`, a write's result, or else the user's cart (from the cache when it holds it)."""

        def render(contents: CartContents) -> bytes:
            return JSONRenderer().render(CartSerializer(contents, context={"request": request}).data)

        if cart is not None:
            return json_response(render(cart), status=status_code)
        body = cached_cart_answer(user=request.user, render=render, found=self.cached)
        return json_response(body, status=status_code)


class CartView(CartAnswerMixin, APIView):
    @extend_schema(summary="The cart", responses=CartSerializer)
    def get(self, request):
        return self.cart_response(request)


class CartItemViewSet(CartAnswerMixin, viewsets.ViewSet):
    lookup_value_regex = r"\d+"

    @extend_schema(
        summary="Put a product in the cart",
        description="A product already in the cart gets the quantity added to its line. An unknown or "
        "archived product, or more than 99 in a line, is a 400.",
        request=CartItemAddSerializer,
        responses={201: CartSerializer, **ADD_ERRORS},
        examples=[OpenApiExample("add", {"product_id": 1, "quantity": 1}, request_only=True)],
    )
    def create(self, request):
        cart = cart_add(user=request.user, **CartItemAddSerializer.validate_data(request.data))
        return self.cart_response(request, status.HTTP_201_CREATED, cart)

    @extend_schema(
        summary="Set a line's quantity",
        request=CartItemUpdateSerializer,
        responses={200: CartSerializer, **INSUFFICIENT_STOCK},
        examples=[QUANTITY_EXAMPLE],
    )
    def update(self, request, pk=None):
        cart_item_update(user=request.user, item_id=int(pk), **CartItemUpdateSerializer.validate_data(request.data))
        return self.cart_response(request)

    # the same body as PUT: `quantity` is required here too (drf-spectacular would make it optional)
    @extend_schema(
        summary="Set a line's quantity",
        request={"application/json": {"$ref": "#/components/schemas/CartItemUpdateRequest"}},
        responses={200: CartSerializer, **INSUFFICIENT_STOCK},
        examples=[QUANTITY_EXAMPLE],
    )
    def partial_update(self, request, pk=None):
        return self.update(request, pk)

    @extend_schema(summary="Take a line out of the cart", responses={204: None})
    def destroy(self, request, pk=None):
        cart_item_remove(user=request.user, item_id=int(pk))
        return Response(status=status.HTTP_204_NO_CONTENT)
