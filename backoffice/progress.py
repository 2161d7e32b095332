"""A progress bar for the long CLI commands (catalogue load, demo load, db backup), on standard error.

models/ reports progress as progress(done, total) and knows nothing of terminals; the bar is drawn from the
first report, when the total is known. Not on a terminal (cron, a pipe), click shows only the label.
"""
import contextlib
import sys

import click


@contextlib.contextmanager
def bar(label):
    """A progress(done, total) callback drawing one bar; the bar is closed however the work ends."""
    shown = {}

    def progress(done, total):
        if "bar" not in shown:
            shown["bar"] = click.progressbar(length=max(total, 1), label=label, file=sys.stderr)
            shown["bar"].__enter__()
        shown["bar"].update(done - shown.get("done", 0))
        shown["done"] = done

    try:
        yield progress
    finally:
        if "bar" in shown:
            shown["bar"].__exit__(None, None, None)
