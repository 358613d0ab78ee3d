"""Page-number pagination of every list of the API (settings: DEFAULT_PAGINATION_CLASS), strict
about what the published schema says: page >= 1, 1 <= page_size <= 200."""

from django.utils.translation import gettext as _
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.pagination import PageNumberPagination


class Pagination(PageNumberPagination):
    page_size_query_param = "page_size"
    max_page_size = 200

    def get_page_size(self, request):
        # A wrong size is the client's error (400), not silently the default size.
        raw = request.query_params.get(self.page_size_query_param)
        if raw is None:
            return self.page_size
        if not raw.isascii() or not raw.isdigit() or not 1 <= int(raw) <= self.max_page_size:
            raise ValidationError(
                {
                    self.page_size_query_param: [
                        _("Số dòng mỗi trang: số nguyên từ 1 đến %d.") % self.max_page_size
                    ]
                }
            )
        return int(raw)

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            parameter["schema"]["minimum"] = 1
            if parameter["name"] == self.page_size_query_param:
                parameter["schema"]["maximum"] = self.max_page_size
        return parameters

    def get_page_number(self, request, paginator):
        # DRF reads "?page=" as the first page; the schema says a page is a number.
        if request.query_params.get(self.page_query_param) == "":
            raise NotFound(_("Trang không hợp lệ."))
        return super().get_page_number(request, paginator)
