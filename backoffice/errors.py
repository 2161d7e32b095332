"""Our own 404 and 500 pages: plain, in the reader's language (?lang=, his profile, the browser's), never a
stack trace; Werkzeug's are English only."""
from flask import render_template


def init_app(app):
    @app.errorhandler(404)
    def not_found(error):
        return render_template("errors/404.html"), 404

    @app.errorhandler(500)
    def server_error(error):
        try:
            return render_template("errors/500.html"), 500
        except Exception:  # the failure may be the very thing the page needs (the database, for the language)
            return "Internal Server Error", 500, {"Content-Type": "text/plain; charset=utf-8"}
