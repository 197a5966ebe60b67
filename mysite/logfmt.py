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


def quote(value):
    """A logfmt value: bare when safe, else double-quoted with \\, " and line breaks escaped."""
    text = str(value)
    if _BARE.match(text):
        return text
    escaped = (
        text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r")
    )
    return f'"{escaped}"'


class LogfmtFormatter(logging.Formatter):
    """level=... logger=... request_id=... msg="..." [exc="..."], always on one line."""

    def format(self, record):
        fields = {
            "level": record.levelname.lower(),
            "logger": record.name,
            # Django logs each 4xx/5xx response after the middleware is done, with the request.
            "request_id": getattr(getattr(record, "request", None), "id", None) or request_id.get(),
            "msg": record.getMessage(),
        }
        if record.exc_info and not isinstance(record.exc_info[1], CLIENT_ERRORS):
            fields["exc"] = self.formatException(record.exc_info)
        return " ".join(f"{key}={quote(value)}" for key, value in fields.items())
