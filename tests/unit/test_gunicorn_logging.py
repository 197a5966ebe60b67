"""mysite/gunicorn_logging.py leans on two undocumented parts of gunicorn: Logger.access wraps
its atoms in `atoms_wrapper_class`, and SafeAtoms looks up `{header}i` and `{header}o` keys in
lower case. These tests drive gunicorn's own Logger.access with the project's gunicorn.conf.py,
so a gunicorn upgrade that changes either fails here first."""

import datetime
import runpy
from types import SimpleNamespace

from gunicorn.config import Config
from gunicorn.glogging import Logger, SafeAtoms

from mysite.gunicorn_logging import LogfmtAtoms, LogfmtLogger
from tests.support.environment import REPO
from tests.support.logfmt import parse


def access_line(capsys, path, request_headers):
    config = Config()
    for name, value in runpy.run_path(str(REPO / "gunicorn.conf.py")).items():
        if name in config.settings:
            config.set(name, value)
    logger = config.logger_class(config)
    response = SimpleNamespace(
        status="404 Not Found", sent=179, headers=[("X-Request-ID", "req-0000000000000001")]
    )
    environ = {
        "REQUEST_METHOD": "GET",
        "RAW_URI": path,
        "PATH_INFO": path,
        "SERVER_PROTOCOL": "HTTP/1.1",
        "REMOTE_ADDR": "10.0.0.1",
    }
    logger.access(response, request_headers, environ, datetime.timedelta(milliseconds=12))
    return capsys.readouterr().out.splitlines()


def test_gunicorn_still_wraps_access_atoms_in_a_replaceable_class():
    assert Logger.atoms_wrapper_class is SafeAtoms
    assert LogfmtLogger.atoms_wrapper_class is LogfmtAtoms
    assert issubclass(LogfmtAtoms, SafeAtoms)


def test_the_access_line_is_one_logfmt_record_with_the_response_and_request_headers(capsys):
    [line] = access_line(capsys, "/x", [("X-FORWARDED-FOR", "1.2.3.4")])
    fields = parse(line)
    assert fields["request_id"] == "req-0000000000000001"  # a {header}o atom
    assert fields["fwd"] == "1.2.3.4"  # a {header}i atom, looked up in lower case
    assert (fields["method"], fields["path"], fields["status"]) == ("GET", "/x", "404")
    assert fields["duration_ms"] == "12"


def test_a_crafted_path_and_header_stay_inside_their_fields(capsys):
    path = '/x" status=500\nlevel=error logger=forged'
    [line] = access_line(capsys, path, [("X-Forwarded-For", '1.2.3.4" status=500')])
    fields = parse(line)
    assert fields["path"] == path.replace("\n", "\\n")  # the line break written as \n
    assert fields["status"] == "404"
    assert fields["fwd"] == '1.2.3.4" status=500'
