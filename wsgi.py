"""Entry point for gunicorn (`gunicorn wsgi:app`) and `flask --app wsgi`."""
from backoffice import create_app, logs

app = create_app()
logs.configure(app.config["LOG_FORMAT"])
