from drf_spectacular.utils import OpenApiExample, OpenApiParameter, OpenApiRequest, OpenApiResponse, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.response import Response

from catalog.cache import PRODUCT_REVISION, cached_answer, catalog_answer_key, page_answer, product_answers
from catalog.filters import ProductFilter
from catalog.models import Category
from catalog.selectors import product_list
from catalog.serializers import (
    IMAGE_MEDIA_TYPES,
    CategoryCreateSerializer,
    CategorySerializer,
    ProductSerializer,
    ProductWriteJSONSerializer,
    ProductWriteMultipartSerializer,
    ProductWriteSerializer,
)
from catalog.services import category_create, product_archive, product_create, product_update
from luxyhome.api.pagination import ProductPagination
from luxyhome.api.parsers import JSONParser, MultiPartParser
from luxyhome.api.permissions import StaffModelPermissionsOrReadOnly
from luxyhome.api.renderers import JSONRenderer
from luxyhome.api.schema import NO_NUL
from luxyhome.api.views import CachedAnswerMixin

X_CACHE = OpenApiParameter(
    "X-Cache",
    {"type": "string", "enum": ["HIT", "MISS"]},
    OpenApiParameter.HEADER,
    required=True,
    response=[200],
    description="HIT: answered from the cache, MISS: built now. A catalog write shows on the next read either way.",
)
ETAG = OpenApiParameter(
    "ETag",
    str,
    OpenApiParameter.HEADER,
    required=True,
    response=[200, 304],
    description="Names this answer; send it back in If-None-Match to be told when it is unchanged.",
)
IF_NONE_MATCH = OpenApiParameter(
    "If-None-Match",
    str,
    OpenApiParameter.HEADER,
    description="The ETag of an answer already held: 304, without a body, while it is still the answer.",
)
NOT_MODIFIED = {304: OpenApiResponse(description="Unchanged since the answer whose ETag was sent.")}
ORDERINGS = ["price", "-price", "name", "-name", "created_at", "-created_at"]
PRICE_BOUND = {"type": "number", "minimum": 0, "maximum": 1e50}  # django-filter's own cap
PRODUCT_FILTERS = [
    OpenApiParameter("category", {"type": "string", "pattern": NO_NUL}, description="A category's slug."),
    OpenApiParameter(
        "in_stock",
        {"type": "string", "enum": ["true", "false", ""]},
        description="true: only products in stock; false: only sold-out ones; empty: both.",
    ),
    OpenApiParameter(
        "ordering",
        {"type": "array", "items": {"type": "string", "enum": [*ORDERINGS, ""]}},
        style="form",
        explode=False,
        description="Comma-separated, the first decides and the next break ties: "
        + ", ".join(ORDERINGS)
        + " (`-` for descending). Empty items are skipped.",
    ),
    OpenApiParameter("min_price", PRICE_BOUND, description="At least this price."),
    OpenApiParameter("max_price", PRICE_BOUND, description="At most this price."),
    OpenApiParameter(
        "search",
        {"type": "string", "maxLength": 200, "pattern": NO_NUL},
        description="Words to look for in the name and the description, best match first.",
    ),
    X_CACHE,
    ETAG,
    IF_NONE_MATCH,
]
PRODUCT_EXAMPLE = OpenApiExample(
    "product",
    {
        "name": "Emerald Velvet Sofa",
        "description": "A three-seat sofa in deep emerald cotton velvet over a kiln-dried beech frame.",
        "price": "8400.00",
        "stock": 4,
        "category": "sofas",
    },
)


def product_body(partial: bool = False) -> dict:
    """A product write's body: JSON, or multipart/form-data with an image file."""
    examples = [] if partial else [PRODUCT_EXAMPLE]
    return {
        "application/json": OpenApiRequest(ProductWriteJSONSerializer, examples=examples),
        "multipart/form-data": OpenApiRequest(
            ProductWriteMultipartSerializer, encoding={"image": {"contentType": IMAGE_MEDIA_TYPES}}
        ),
    }


class CategoryViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """Product categories: anyone reads them, staff create them."""

    queryset = Category.objects.all()
    serializer_class = CategorySerializer
    permission_classes = [StaffModelPermissionsOrReadOnly]
    pagination_class = None

    @extend_schema(summary="Every category, by name (one list, not paginated)")
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    @extend_schema(
        summary="Create a category (staff)",
        description="The slug is made from the name when not given; a name or slug in use is a 400 naming it.",
        request=CategoryCreateSerializer,
        responses={201: CategorySerializer},
        examples=[OpenApiExample("category", {"name": "Garden"}, request_only=True)],
    )
    def create(self, request):
        category = category_create(**CategoryCreateSerializer.validate_data(request.data))
        return Response(CategorySerializer(category).data, status=status.HTTP_201_CREATED)


class ProductViewSet(CachedAnswerMixin, viewsets.ModelViewSet):
    """Products: anyone reads those for sale, staff read archived ones too and write them."""

    serializer_class = ProductSerializer
    permission_classes = [StaffModelPermissionsOrReadOnly]
    filterset_class = ProductFilter
    pagination_class = ProductPagination
    parser_classes = [JSONParser, MultiPartParser]
    lookup_value_regex = r"\d+"
    # what a list's answer depends on: any other query parameter (?utm=…) must not make a new cache entry
    list_parameters = [*ProductFilter.base_filters, "page", ProductPagination.page_size_query_param]

    def get_queryset(self):
        return product_list(user=self.request.user)

    def answer_key(self, request):
        if self.action == "list":
            return catalog_answer_key(request, "products", self.list_parameters)
        if self.action == "retrieve":
            return catalog_answer_key(request, f"product:{self.kwargs['pk']}")
        return None

    def filter_queryset(self, queryset):
        # the list's parameters filter the list only: a product's answer is the same for any query string
        return super().filter_queryset(queryset) if self.action == "list" else queryset

    @extend_schema(
        summary="A page of products, filtered and ordered",
        parameters=PRODUCT_FILTERS,
        responses={200: ProductSerializer(many=True), **NOT_MODIFIED},
    )
    def list(self, request, *args, **kwargs):
        return cached_answer(self.cached, self.build_page)

    def build_page(self) -> bytes:
        """The page's products read as revisions only: their answers come from the cache (catalog.cache)."""
        revisions = self.paginate_queryset(self.filter_queryset(self.get_queryset()).values_list(*PRODUCT_REVISION))
        return page_answer(self.paginator, product_answers(self.request, revisions))

    @extend_schema(
        summary="A product; an archived one only for staff",
        parameters=[X_CACHE, ETAG, IF_NONE_MATCH],
        responses={200: ProductSerializer, **NOT_MODIFIED},
    )
    def retrieve(self, request, *args, **kwargs):
        build = super().retrieve
        return cached_answer(self.cached, lambda: JSONRenderer().render(build(request, *args, **kwargs).data))

    @extend_schema(
        summary="Create a product (staff)",
        description="JSON, or multipart/form-data with an `image`. The slug is made from the name.",
        request=product_body(),
        responses={201: ProductSerializer},
    )
    def create(self, request):
        product = product_create(**ProductWriteSerializer.validate_data(request.data))
        return Response(self.get_serializer(product).data, status=status.HTTP_201_CREATED)

    @extend_schema(summary="Replace a product's fields (staff)", request=product_body(), responses=ProductSerializer)
    def update(self, request, pk=None, partial=False):
        product = self.get_object()
        changes = ProductWriteSerializer.validate_data(request.data, partial=partial)
        return Response(self.get_serializer(product_update(product=product, **changes)).data)

    @extend_schema(
        summary="Change some of a product's fields (staff)",
        request=product_body(partial=True),
        responses=ProductSerializer,
    )
    def partial_update(self, request, pk=None):
        return self.update(request, pk=pk, partial=True)

    @extend_schema(
        summary="Archive a product (staff)",
        description="Hidden from shoppers at once and kept for the orders that name it; staff still see it.",
        responses={204: None},
    )
    def destroy(self, request, pk=None):
        product_archive(product=self.get_object())
        return Response(status=status.HTTP_204_NO_CONTENT)
