from django.utils.translation import gettext as _
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import LimitOffsetPagination

MAX_OFFSET = 10**9


class StrictLimitOffsetPagination(LimitOffsetPagination):
    """Limit/offset paging that refuses a malformed ``limit`` or ``offset`` with a
    400 naming the parameter, instead of silently using the default."""

    max_limit = 1000

    def _parse(self, request, name: str, minimum: int, maximum: int) -> int | None:
        raw = request.query_params.getlist(name)
        if not raw:
            return None
        if (
            len(raw) > 1
            or not raw[0].isdigit()
            or not minimum <= int(raw[0]) <= maximum
        ):
            message = _("Must be a whole number from %(minimum)s to %(maximum)s.")
            raise ValidationError(
                {name: [message % {"minimum": minimum, "maximum": maximum}]}
            )
        return int(raw[0])

    def get_limit(self, request):
        limit = self._parse(request, self.limit_query_param, 1, self.max_limit)
        return self.default_limit if limit is None else limit

    def get_offset(self, request):
        return self._parse(request, self.offset_query_param, 0, MAX_OFFSET) or 0

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        bounds = {
            self.limit_query_param: (1, self.max_limit),
            self.offset_query_param: (0, MAX_OFFSET),
        }
        for parameter in parameters:
            minimum, maximum = bounds[parameter["name"]]
            parameter["schema"].update(minimum=minimum, maximum=maximum)
        return parameters
