from rest_framework import serializers

from creative_regions.core.models import User


class MeSerializer(serializers.ModelSerializer):
    regions = serializers.SlugRelatedField(slug_field="code", many=True, read_only=True)

    class Meta:
        model = User
        fields = ("username", "first_name", "last_name", "email", "role", "regions")
        read_only_fields = fields
