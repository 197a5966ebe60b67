"""Log lines as logfmt (key=value pairs, one line each), the format Heroku's router logs in
and log tools parse. Each line carries the id of the request it belongs to."""

import contextvars
import logging
import re

from django.core.exceptions import BadRequest, SuspiciousOperation
from django.http.multipartparser import MultiPartParserError

# The X-Request-ID of the request being served (set by RequestIdMiddleware), "-" outside one.
request_id = contextvars.ContextVar("request_id", default="-")

# Errors a client caused (a forged Host, an unparsable body): their message says it all, their
# traceback nothing more, and bots would fill the log with them.
CLIENT_ERRORS = (SuspiciousOperation, BadRequest, MultiPartParserError)

_BARE = re.compile(r"^[A-Za-z0-9_.:/@+=,-]+$")

# Heroku's Logplex splits a line over 10,000 bytes into pieces no log tool reads as one record.
# Every line stays under this, with room to spare; a value too long to fit loses its middle (a
# traceback keeps its first frames and its last ones, where the error is) to a visible marker.
MAX_LINE_BYTES = 8_192
# What one value of an access-log line or a message may take at most: a line has a few of them.
MAX_VALUE_BYTES = 1_024


def _quoted(text):
    if _BARE.match(text):
        return text
    escaped = (
        text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r")
    )
    return f'"{escaped}"'


def _cut(text, keep):
    """text with all but `keep` characters cut from its middle, saying how many."""
    head = keep - keep // 2
    return f"{text[:head]}...[{len(text) - keep} characters cut]...{text[len(text) - keep // 2 :]}"


def quote(value, max_bytes=None):
    """A logfmt value: bare when safe, else double-quoted with \\, " and line breaks escaped.

    With max_bytes, a value whose quoted form is longer is cut in the middle until it fits.
    """
    text = str(value)
    quoted = _quoted(text)
    if max_bytes is None or len(quoted.encode()) <= max_bytes:
        return quoted
    keep_lo, keep_hi = 0, len(text)  # the most characters that fit, by bisection
    while keep_lo < keep_hi:
        keep = (keep_lo + keep_hi + 1) // 2
        if len(_quoted(_cut(text, keep)).encode()) <= max_bytes:
            keep_lo = keep
        else:
            keep_hi = keep - 1
    return _quoted(_cut(text, keep_lo))


class LogfmtFormatter(logging.Formatter):
    """level=... logger=... request_id=... msg="..." [exc="..."], always one line, never longer
    than MAX_LINE_BYTES."""

    def format(self, record):
        fields = {
            "level": record.levelname.lower(),
            "logger": record.name,
            # Django logs each 4xx/5xx response after the middleware is done, with the request.
            "request_id": getattr(getattr(record, "request", None), "id", None) or request_id.get(),
            "msg": record.getMessage(),
        }
        line = " ".join(f"{key}={quote(value, MAX_VALUE_BYTES)}" for key, value in fields.items())
        if record.exc_info and not isinstance(record.exc_info[1], CLIENT_ERRORS):
            room = MAX_LINE_BYTES - len(line.encode()) - len(" exc=")
            line += f" exc={quote(self.formatException(record.exc_info), room)}"
        return line
