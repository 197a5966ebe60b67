"""Log lines are logfmt, one line per record, with the request id of the request served."""

import logging
import sys

from django.core.exceptions import DisallowedHost

from mysite.logfmt import LogfmtFormatter, quote, request_id


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
