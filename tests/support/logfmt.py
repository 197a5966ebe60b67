"""Reading logfmt lines back, as a log tool does."""

import re
import shlex

PAIR = re.compile(r'([a-z_]+)=("(?:[^"\\]|\\.)*"|[^ "]*)')


def parse(line):
    """The key=value pairs of a logfmt line; fails unless the whole line is such pairs."""
    pairs = PAIR.findall(line)
    rebuilt = " ".join(f"{key}={value}" for key, value in pairs)
    assert rebuilt == line, f"not a logfmt line: {line!r}"
    keys = [key for key, _ in pairs]
    assert len(keys) == len(set(keys)), f"a key twice: {line!r}"
    return {key: shlex.split(value)[0] if value.startswith('"') else value for key, value in pairs}
