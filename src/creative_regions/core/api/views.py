from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from creative_regions.core.api.serializers import MeSerializer


class MeApi(APIView):
    """The signed-in user: role and, for a regional partner, their region codes."""

    serializer_class = MeSerializer

    def get(self, request: Request) -> Response:
        return Response(MeSerializer(request.user).data)
