"""Log lines are logfmt, one line per record, with the request id of the request served."""

import logging
import sys

from django.core.exceptions import DisallowedHost

from mysite.logfmt import MAX_LINE_BYTES, LogfmtFormatter, quote, request_id
from tests.support.logfmt import parse


def record(message, exc_info=None, **extra):
    item = logging.LogRecord("app.test", logging.ERROR, __file__, 1, message, (), exc_info)
    item.__dict__.update(extra)
    return item


def exception_info(error):
    try:
        raise error
    except type(error):
        return sys.exc_info()


def test_safe_values_stay_bare_and_others_are_quoted_and_escaped():
    assert quote("GET") == "GET"
    assert quote("two words") == '"two words"'
    assert quote('say "hi"\\\n') == '"say \\"hi\\"\\\\\\n"'


def test_a_record_is_one_line_with_level_logger_request_id_and_message():
    token = request_id.set("req-42")
    try:
        line = LogfmtFormatter().format(record("disk is full"))
    finally:
        request_id.reset(token)
    assert line == 'level=error logger=app.test request_id=req-42 msg="disk is full"'


def test_outside_a_request_the_request_id_is_a_dash():
    assert "request_id=- " in LogfmtFormatter().format(record("starting"))


def test_the_request_on_a_record_names_the_request_id():
    class Request:
        id = "from-the-request"

    line = LogfmtFormatter().format(record("Not Found: /x", request=Request()))
    assert "request_id=from-the-request" in line


def test_a_traceback_stays_on_the_same_line():
    line = LogfmtFormatter().format(record("boom", exception_info(ValueError("bad value"))))
    assert "\n" not in line
    assert 'exc="Traceback (most recent call last):\\n' in line
    assert "ValueError: bad value" in line


def test_a_rejected_attack_is_logged_without_a_traceback():
    error = DisallowedHost("Invalid HTTP_HOST header: 'evil.example'")
    line = LogfmtFormatter().format(record(str(error), exception_info(error)))
    assert "exc=" not in line
    assert "evil.example" in line


HEROKU_LOG_LINE_LIMIT = 10_000  # bytes: Logplex splits longer lines


def deep_failure(depth, message):
    if depth:
        deep_failure(depth - 1, message)
    raise RuntimeError(message)


def test_a_huge_exception_is_logged_as_one_line_under_herokus_limit():
    # A long message and a deep traceback, with characters quoting escapes and UTF-8 widens.
    error_info = None
    try:
        deep_failure(200, 'first "line"\n' + "é\\" * 20_000 + "\nthe end")
    except RuntimeError:
        error_info = sys.exc_info()
    handler_output = LogfmtFormatter().format(record("x" * 50_000, error_info))
    lines = handler_output.splitlines()
    assert len(lines) == 1
    assert len(lines[0].encode()) <= MAX_LINE_BYTES < HEROKU_LOG_LINE_LIMIT
    fields = parse(lines[0])
    assert "characters cut]" in fields["msg"]
    # The traceback keeps its first frame and its end, where the error is, around the cut.
    assert fields["exc"].startswith("Traceback (most recent call last):")
    assert "characters cut]" in fields["exc"]
    assert fields["exc"].endswith("the end")


def test_a_long_value_is_cut_in_its_middle_to_the_bytes_it_may_take():
    value = quote("start-" + "a" * 5000 + "-end", max_bytes=100)
    assert len(value.encode()) <= 100
    assert value.startswith('"start-')
    assert value.endswith('-end"')
    assert quote("short", max_bytes=100) == "short"
