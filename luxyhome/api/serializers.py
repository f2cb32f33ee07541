from rest_framework import serializers


class ValidateDataMixin:
    """For request-body serializers: `validate_data` returns clean data or raises a 400."""

    @classmethod
    def validate_data(cls, data, **kwargs) -> dict:
        serializer = cls(data=data, **kwargs)
        serializer.is_valid(raise_exception=True)
        return serializer.validated_data


class InputSerializer(ValidateDataMixin, serializers.Serializer):
    pass
