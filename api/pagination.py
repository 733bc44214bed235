from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from rest_framework import serializers
from rest_framework.pagination import PageNumberPagination

MAX_PAGE_SIZE = 200


class PageQuerySerializer(serializers.Serializer):
    page = serializers.IntegerField(min_value=1, max_value=2**31 - 1, required=False)
    page_size = serializers.IntegerField(min_value=1, max_value=MAX_PAGE_SIZE, required=False)


class PagePagination(PageNumberPagination):
    """`?page=N&page_size=M` (at most 200 a page). A malformed page or size is a 400; a page past the end a 404."""

    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = MAX_PAGE_SIZE
    last_page_strings = ()
    invalid_page_message = gettext_lazy("Trang {page_number} không tồn tại.")

    def paginate_queryset(self, queryset, request, view=None):
        params = PageQuerySerializer(data=request.query_params)
        params.is_valid(raise_exception=True)
        self._params = params.validated_data
        return super().paginate_queryset(queryset, request, view)

    def get_page_number(self, request, paginator):
        return self._params.get("page", 1)

    def get_page_size(self, request):
        return self._params.get("page_size", self.page_size)

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            if parameter["name"] == "page":
                parameter["schema"].update({"minimum": 1, "maximum": 2**31 - 1})
                parameter["description"] = _("Số trang (từ 1)")
            elif parameter["name"] == "page_size":
                parameter["schema"].update({"minimum": 1, "maximum": MAX_PAGE_SIZE})
                parameter["description"] = _("Số dòng một trang (1–%(max)s)") % {"max": MAX_PAGE_SIZE}
        return parameters
