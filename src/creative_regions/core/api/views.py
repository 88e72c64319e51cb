from rest_framework.exceptions import NotFound
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from creative_regions.core.api.serializers import MeSerializer


class MeApi(APIView):
    """The signed-in user: role and, for a regional partner, their region codes."""

    serializer_class = MeSerializer

    def get(self, request: Request) -> Response:
        return Response(MeSerializer(request.user).data)


class NotFoundApi(APIView):
    """Any unknown address under the API answers with the API's 404 body."""

    permission_classes: list = []
    schema = None

    def get(self, request: Request, *args, **kwargs) -> Response:
        raise NotFound

    post = put = patch = delete = get
