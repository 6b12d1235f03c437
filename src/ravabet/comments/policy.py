"""The publishing policy (seed 001): what is never published, as reasons moderators cite."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Reason(models.TextChoices):
    """Policy reasons; also the labels of the automatic triage."""

    INSULT = "insult", _("Insult or slander")
    NOT_PERSIAN = "not_persian", _("Not in Persian")
    OFF_TOPIC = "off_topic", _("Not related to the news")
    SPAM = "spam", _("Spam or advertising")
    PERSONAL_DATA = "personal_data", _("Personal data")


TRIAGE_REASONS = [reason.value for reason in Reason]

MAX_LENGTH = 3000
MAX_NAME = 80
