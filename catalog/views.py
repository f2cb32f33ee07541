from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.parsers import JSONParser, MultiPartParser
from rest_framework.response import Response

from catalog.cache import cached_answer
from catalog.filters import ProductFilter
from catalog.models import Category
from catalog.selectors import products_visible_to
from catalog.serializers import (
    CategoryCreateSerializer,
    CategorySerializer,
    ProductSerializer,
    ProductWriteSerializer,
)
from catalog.services import category_create, product_archive, product_create, product_update
from luxyhome.api.permissions import IsStaffOrReadOnly


class CategoryViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    queryset = Category.objects.all()
    serializer_class = CategorySerializer
    permission_classes = [IsStaffOrReadOnly]
    pagination_class = None

    @extend_schema(request=CategoryCreateSerializer, responses={201: CategorySerializer})
    def create(self, request):
        category = category_create(**CategoryCreateSerializer.validate_data(request.data))
        return Response(CategorySerializer(category).data, status=status.HTTP_201_CREATED)


class ProductViewSet(viewsets.ModelViewSet):
    serializer_class = ProductSerializer
    permission_classes = [IsStaffOrReadOnly]
    filterset_class = ProductFilter
    parser_classes = [JSONParser, MultiPartParser]
    lookup_value_regex = r"\d+"

    def get_queryset(self):
        return products_visible_to(self.request.user)

    def list(self, request, *args, **kwargs):
        build = super().list
        return cached_answer(request, "products", lambda: build(request, *args, **kwargs).data)

    def retrieve(self, request, *args, **kwargs):
        build = super().retrieve
        return cached_answer(request, f"product:{kwargs['pk']}", lambda: build(request, *args, **kwargs).data)

    @extend_schema(request=ProductWriteSerializer, responses={201: ProductSerializer})
    def create(self, request):
        product = product_create(**ProductWriteSerializer.validate_data(request.data))
        return Response(self.get_serializer(product).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=ProductWriteSerializer, responses=ProductSerializer)
    def update(self, request, pk=None, partial=False):
        product = self.get_object()
        changes = ProductWriteSerializer.validate_data(request.data, partial=partial)
        return Response(self.get_serializer(product_update(product=product, **changes)).data)

    @extend_schema(request=ProductWriteSerializer, responses=ProductSerializer)
    def partial_update(self, request, pk=None):
        return self.update(request, pk=pk, partial=True)

    def destroy(self, request, pk=None):
        product_archive(product=self.get_object())
        return Response(status=status.HTTP_204_NO_CONTENT)
