from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.db.models import Q
from django.utils import timezone


class Email(models.Model):
    """An e-mail the shop owes someone: the outbox row.

    Written in the transaction of the event it tells of, so a rolled-back event leaves none; rendered
    and sent by a task after commit (off the request), and retried until `sent_at` is set. A set
    `sent_at` is what stops a second copy.
    """

    to = models.EmailField()
    subject = models.CharField(max_length=255)
    template = models.CharField(max_length=100, help_text="<template>.txt and <template>.html are its parts.")
    context = models.JSONField(encoder=DjangoJSONEncoder, help_text="What the templates are rendered with.")
    created_at = models.DateTimeField(auto_now_add=True)
    # when the next attempt is due; the sweep re-sends an unsent e-mail once this is well past
    next_attempt_at = models.DateTimeField(default=timezone.now)
    attempts = models.PositiveIntegerField(default=0, help_text="Failed attempts so far.")
    last_error = models.TextField(blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["next_attempt_at"], condition=Q(sent_at__isnull=True), name="outbox_email_unsent"),
            models.Index(fields=["sent_at"], condition=Q(sent_at__isnull=False), name="outbox_email_sent"),
        ]

    def __str__(self):
        return f"{self.subject} → {self.to}"
