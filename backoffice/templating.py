"""Compiled templates shared by every app built in this process.

Compiling Flask-Admin's templates costs about half a second; the test suite
builds an app per test, and a worker that rebuilds its app should not pay it
again. Jinja keys each entry by the template's name and a checksum of its
source, so an edited template is compiled afresh.
"""
from jinja2 import BytecodeCache

from models.timeutil import to_ist


class MemoryBytecodeCache(BytecodeCache):
    def __init__(self):
        self.compiled = {}

    def load_bytecode(self, bucket):
        code = self.compiled.get(bucket.key)
        if code is not None:
            bucket.bytecode_from_string(code)

    def dump_bytecode(self, bucket):
        self.compiled[bucket.key] = bucket.bytecode_to_string()


shared_cache = MemoryBytecodeCache()


def ist(value, pattern="%d-%m-%Y"):
    """A stored UTC time as India Standard Time, for messages read far from any browser."""
    return to_ist(value).strftime(pattern) if value else ""


def init_app(app):
    app.add_template_filter(ist)
