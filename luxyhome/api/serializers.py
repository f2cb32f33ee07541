import zoneinfo
from collections.abc import Mapping

from django.conf import settings
from django.db import models
from django.http import QueryDict
from rest_framework import serializers

# The JSON type a JSON body must give each kind of field, as the OpenAPI schema says. DRF alone
# would take 5 for a name and "5" for a quantity; a form body (multipart) has only strings.
JSON_TYPES = (
    (serializers.BooleanField, (bool,), "boolean"),
    (serializers.IntegerField, (int,), "integer"),
    (serializers.FloatField, (int, float), "number"),
    (serializers.DecimalField, (str,), "string"),  # money is a decimal string, never a float
    (serializers.CharField, (str,), "string"),
    (serializers.SlugRelatedField, (str,), "string"),
    (serializers.PrimaryKeyRelatedField, (int,), "integer"),
)


class ValidateDataMixin:
    """For request-body serializers: `validate_data` returns clean data or raises a 400.

    Values are first checked as sent, as the OpenAPI schema describes them: a JSON body's types,
    and string lengths before DRF trims them.
    """

    @classmethod
    def validate_data(cls, data, **kwargs) -> dict:
        serializer = cls(data=data, **kwargs)
        serializer.is_valid(raise_exception=True)
        return serializer.validated_data

    def to_internal_value(self, data):
        if isinstance(data, Mapping):
            errors = {
                name: [problem]
                for name, field in self.fields.items()
                if not field.read_only and (problem := _as_sent_problem(field, data, name))
            }
            if errors:
                raise serializers.ValidationError(errors)
        return super().to_internal_value(data)


def _as_sent_problem(field, data: Mapping, name: str) -> str | None:
    """What is wrong with the value as sent (absent and null are the field's to judge), or None."""
    value = data.get(name)
    if value is None:
        return None
    if not isinstance(data, QueryDict):  # a form (multipart) has only strings
        for field_class, types, json_type in JSON_TYPES:
            if isinstance(field, field_class):
                if not isinstance(value, types) or (isinstance(value, bool) and bool not in types):
                    return f"Must be a JSON {json_type}."
                break
    max_length = getattr(field, "max_length", None)
    if isinstance(field, serializers.CharField) and max_length and isinstance(value, str) and len(value) > max_length:
        return field.error_messages["max_length"].format(max_length=max_length)
    return None


class InputSerializer(ValidateDataMixin, serializers.Serializer):
    pass


class DateTimeField(serializers.DateTimeField):
    """Times in the shop's time zone (settings.TIME_ZONE), never one a request activated: answers
    are cached and shared by every shopper."""

    def default_timezone(self):
        return zoneinfo.ZoneInfo(settings.TIME_ZONE)


class ModelSerializer(serializers.ModelSerializer):
    """DRF's ModelSerializer, writing times in the shop's zone."""

    serializer_field_mapping = {
        **serializers.ModelSerializer.serializer_field_mapping,
        models.DateTimeField: DateTimeField,
    }
