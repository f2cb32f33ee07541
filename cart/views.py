from drf_spectacular.utils import extend_schema
from rest_framework import status, viewsets
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from cart.selectors import cached_cart_answer
from cart.serializers import CartItemAddSerializer, CartItemUpdateSerializer, CartSerializer
from cart.services import cart_add, cart_item_remove, cart_item_update
from luxyhome.api.views import NoStoreMixin


class CartAnswerMixin(NoStoreMixin):
    permission_classes = [IsAuthenticated]

    def cart_response(self, request, status_code=status.HTTP_200_OK) -> Response:
        context = {"request": request}
        answer = cached_cart_answer(user=request.user, render=lambda cart: CartSerializer(cart, context=context).data)
        return Response(answer, status=status_code)


class CartView(CartAnswerMixin, APIView):
    @extend_schema(responses=CartSerializer)
    def get(self, request):
        return self.cart_response(request)


class CartItemViewSet(CartAnswerMixin, viewsets.ViewSet):
    lookup_value_regex = r"\d+"

    @extend_schema(request=CartItemAddSerializer, responses={201: CartSerializer})
    def create(self, request):
        cart_add(user=request.user, **CartItemAddSerializer.validate_data(request.data))
        return self.cart_response(request, status.HTTP_201_CREATED)

    @extend_schema(request=CartItemUpdateSerializer, responses=CartSerializer)
    def update(self, request, pk=None):
        cart_item_update(user=request.user, item_id=int(pk), **CartItemUpdateSerializer.validate_data(request.data))
        return self.cart_response(request)

    @extend_schema(request=CartItemUpdateSerializer, responses=CartSerializer)
    def partial_update(self, request, pk=None):
        return self.update(request, pk)

    @extend_schema(responses={204: None})
    def destroy(self, request, pk=None):
        cart_item_remove(user=request.user, item_id=int(pk))
        return Response(status=status.HTTP_204_NO_CONTENT)
