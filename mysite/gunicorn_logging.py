"""gunicorn's access log as logfmt that no request can forge.

gunicorn hands the access-log format its fields ("atoms") with double quotes escaped,
but the path arrives percent-decoded (%0A is a newline, %5C a backslash) and headers are
the client's: either could add fields or whole lines. Each field here goes through the
same quoting as every other log line (mysite/logfmt.py), so a request stays one line, and each
is cut to MAX_VALUE_BYTES, so the line stays under Heroku's 10,000-byte log line limit.

This leans on two parts of gunicorn its documentation does not promise: Logger.access wraps the
atoms in `atoms_wrapper_class`, and SafeAtoms looks up `{header}i` and `{header}o` atoms in
lower case. tests/unit/test_gunicorn_logging.py drives gunicorn's own Logger.access and fails
first when an upgrade changes either.
"""

from gunicorn.glogging import Logger, SafeAtoms

from mysite.logfmt import MAX_VALUE_BYTES, quote


class LogfmtAtoms(SafeAtoms):
    """gunicorn's atoms, each value a logfmt value: bare when safe, else quoted and escaped."""

    def __init__(self, atoms):
        dict.__init__(
            self,
            {
                key: quote(value, MAX_VALUE_BYTES) if isinstance(value, str) else value
                for key, value in atoms.items()
            },
        )


class LogfmtLogger(Logger):
    atoms_wrapper_class = LogfmtAtoms
