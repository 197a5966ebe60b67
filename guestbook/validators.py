"""What a guestbook entry may contain: readable text, nothing a terminal or a log would act on."""

import unicodedata

from django.core.exceptions import ValidationError

REPLACEMENT_CHARACTER = "\ufffd"  # what invalid UTF-8 decodes to
LINE_BREAKS = "\n\r\t"


def _refuse_unreadable(value, allowed_controls):
    if REPLACEMENT_CHARACTER in value:
        raise ValidationError(
            "This text contains bytes that are not valid UTF-8.", code="invalid_utf8"
        )
    for character in value:
        if character in allowed_controls:
            continue
        if unicodedata.category(character) in ("Cc", "Cs"):
            raise ValidationError(
                "Control characters are not allowed (found U+%(code)04X).",
                code="control_character",
                params={"code": ord(character)},
            )


def single_line_text(value):
    """Printable text on one line: no control characters, no invalid UTF-8."""
    _refuse_unreadable(value, allowed_controls="")


def multi_line_text(value):
    """Printable text; line breaks and tabs allowed."""
    _refuse_unreadable(value, allowed_controls=LINE_BREAKS)
