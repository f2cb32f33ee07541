from rest_framework import pagination
from rest_framework.exceptions import ValidationError


class PageNumberPagination(pagination.PageNumberPagination):
    """`?page=N&page_size=M`, 20 a page by default and 100 at most."""

    page_size = 20
    page_size_query_param = "page_size"
    max_page_size = 100

    def get_page_size(self, request):
        # DRF would quietly answer 20 for `page_size=-5` or `abc`: say what is wrong instead
        raw = request.query_params.get(self.page_size_query_param, "")
        if raw == "":
            return self.page_size
        if not raw.isdigit() or int(raw) < 1:
            raise ValidationError({"page_size": ["A whole number from 1; more than 100 counts as 100."]})
        return min(int(raw), self.max_page_size)
