from drf_spectacular.utils import OpenApiExample, extend_schema
from rest_framework.response import Response
from rest_framework.views import APIView

from analytics.permissions import CanViewAnalytics
from analytics.selectors import analytics_report
from analytics.serializers import AnalyticsRangeSerializer, AnalyticsSerializer
from luxyhome.api.schema import problems
from luxyhome.api.views import NoStoreMixin

RANGE_ERRORS = problems(
    {400: "A day that is not one, `to` before `from`, or more than 366 days (`validation_error`)."},
    {
        "status": 400,
        "code": "validation_error",
        "detail": "Some fields are invalid.",
        "errors": {"to": ["A range holds at most 366 days."]},
    },
)

EXAMPLE = {
    "currency": "USD",
    "days": [
        {"date": "2026-03-01", "orders": 3, "revenue": "8290.50", "average_order_value": "2763.50"},
        {"date": "2026-03-02", "orders": 0, "revenue": "0.00", "average_order_value": "0.00"},
    ],
    "totals": {"orders": 3, "revenue": "8290.50", "average_order_value": "2763.50", "conversion_rate": "0.2500"},
    "top_products": [{"product_id": 7, "name": "Emerald Velvet Sofa", "quantity": 1, "revenue": "4200.00"}],
    "low_stock": [{"id": 12, "name": "Brass Arc Floor Lamp", "stock": 2}],
}


class AnalyticsView(NoStoreMixin, APIView):
    """The shop's figures by day, for staff who may see orders."""

    permission_classes = [CanViewAnalytics]

    @extend_schema(
        summary="Sales figures for a range of days (staff)",
        description="Orders placed each day (in the shop's time zone) that have been paid, their revenue less "
        "refunds, the average order value, the conversion of carts into orders over the range, the 10 best "
        "products by revenue and the products running low. Without `from` and `to`: the last 30 days ending "
        "today. Needs the `orders.view_order` permission. Past days' figures are at most "
        "ANALYTICS_REFRESH_SECONDS behind; today's are live.",
        parameters=[AnalyticsRangeSerializer],
        responses={200: AnalyticsSerializer, **RANGE_ERRORS},
        examples=[OpenApiExample("two days", EXAMPLE, response_only=True)],
    )
    def get(self, request):
        report = analytics_report(**AnalyticsRangeSerializer.validate_data(request.query_params))
        return Response(AnalyticsSerializer(report).data)
