from django.db import models
from django.db.models import Q

from guestbook.validators import multi_line_text, single_line_text


class Entry(models.Model):
    """One signature in the guestbook. Text is stored as typed and escaped when shown."""

    name = models.CharField(max_length=80, validators=[single_line_text])
    message = models.CharField(max_length=1000, validators=[multi_line_text])
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name_plural = "entries"
        # The page reads the newest entries in exactly this order: an index scan, never a
        # sort of the whole table, however many entries it grows to.
        indexes = [models.Index(fields=["-created_at", "-id"], name="guestbook_entry_newest")]
        constraints = [
            # The form strips and requires both fields; the database refuses blanks too,
            # so no code path (admin, shell, a future API) can store an empty signature.
            models.CheckConstraint(condition=~Q(name=""), name="guestbook_entry_name_not_blank"),
            models.CheckConstraint(
                condition=~Q(message=""), name="guestbook_entry_message_not_blank"
            ),
        ]

    def __str__(self):
        return f"{self.name}: {self.message[:40]}"
