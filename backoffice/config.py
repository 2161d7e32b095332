"""Settings, read from the environment once when the app is built.

docs/settings.md lists every setting; keep the two in step.
"""
import ipaddress
import os
import secrets
from email.utils import parseaddr
from pathlib import Path

from models.clock import parse_weekly_offs
from models.errors import DomainError
from models.forms import GRACE_DAYS

APP_ENVS = ("development", "test", "production")
SMS_BACKENDS = ("development", "http")
IMAP_SECURITY = ("ssl", "starttls", "none")
LOG_FORMATS = ("json", "text")
MIN_SECRET_KEY = 32
ROOT = Path(__file__).resolve().parent.parent


class ConfigError(RuntimeError):
    pass


def instance_dir():
    path = Path(os.environ.get("INSTANCE_PATH", ROOT / "instance"))
    path.mkdir(parents=True, exist_ok=True)
    return path


def _development_secret(instance):
    # A stable key per checkout so logins survive a restart of the dev server.
    key_file = instance / "secret_key"
    if not key_file.exists():
        key_file.write_text(secrets.token_hex(32))
        key_file.chmod(0o600)
    return key_file.read_text().strip()


def _flag(value):
    return str(value).strip().lower() in ("1", "true", "yes", "on")


def _notification_settings(env, production):
    """Mail (Flask-Mail's names), SMS and the address links in messages point at."""
    sender = env.get("MAIL_DEFAULT_SENDER", "Jansahayak <noreply@jansahayak.localhost>")
    sms_backend = env.get("SMS_BACKEND", "development")
    if sms_backend not in SMS_BACKENDS:
        raise ConfigError(f"SMS_BACKEND must be one of {', '.join(SMS_BACKENDS)}, not {sms_backend!r}")
    if production:
        # Real people would get a text in a log instead of an SMS, or a link to a developer's machine.
        if sms_backend == "development":
            raise ConfigError("SMS_BACKEND=development cannot be used when APP_ENV=production: "
                              "set SMS_BACKEND=http and SMS_GATEWAY_URL")
        for name in ("PUBLIC_URL", "MAIL_DEFAULT_SENDER"):
            if not env.get(name):
                raise ConfigError(f"{name} must be set when APP_ENV=production")
    if sms_backend == "http" and not env.get("SMS_GATEWAY_URL"):
        raise ConfigError("SMS_BACKEND=http needs SMS_GATEWAY_URL")
    return {
        "MAIL_SERVER": env.get("MAIL_SERVER", "127.0.0.1"),
        "MAIL_PORT": int(env.get("MAIL_PORT", 25)),
        "MAIL_USE_TLS": _flag(env.get("MAIL_USE_TLS", "")),
        "MAIL_USE_SSL": _flag(env.get("MAIL_USE_SSL", "")),
        "MAIL_USERNAME": env.get("MAIL_USERNAME") or None,
        "MAIL_PASSWORD": env.get("MAIL_PASSWORD") or None,
        "MAIL_DEFAULT_SENDER": sender,
        "MAIL_MESSAGE_ID_DOMAIN": env.get("MAIL_MESSAGE_ID_DOMAIN") or parseaddr(sender)[1].rpartition("@")[2],
        # Flask-Mail sends nothing while TESTING unless told: the tests talk to a real SMTP server.
        "MAIL_SUPPRESS_SEND": False,
        "HELPDESK_REPLY_TO": env.get("HELPDESK_REPLY_TO") or None,
        "SMS_BACKEND": sms_backend,
        "SMS_GATEWAY_URL": env.get("SMS_GATEWAY_URL") or None,
        "SMS_GATEWAY_USER": env.get("SMS_GATEWAY_USER") or None,
        "SMS_GATEWAY_PASSWORD": env.get("SMS_GATEWAY_PASSWORD") or None,
        "SMS_SENDER_ID": env.get("SMS_SENDER_ID", "JANSHY"),
        "PUBLIC_URL": env.get("PUBLIC_URL", f"http://127.0.0.1:{env.get('PORT', 5000)}").rstrip("/"),
    }


def _helpdesk_settings(env, production):
    """The help mailbox that `helpdesk fetch` reads (docs/helpdesk.md)."""
    security = env.get("HELPDESK_IMAP_SECURITY", "ssl")
    if security not in IMAP_SECURITY:
        raise ConfigError(f"HELPDESK_IMAP_SECURITY must be one of {', '.join(IMAP_SECURITY)}, not {security!r}")
    host = env.get("HELPDESK_IMAP_HOST") or None
    if production and security == "none" and host not in (None, "127.0.0.1", "::1", "localhost"):
        raise ConfigError("HELPDESK_IMAP_SECURITY=none sends the mailbox password in clear: use ssl or starttls")
    return {
        "HELPDESK_IMAP_HOST": host,
        "HELPDESK_IMAP_PORT": int(env.get("HELPDESK_IMAP_PORT") or (993 if security == "ssl" else 143)),
        "HELPDESK_IMAP_SECURITY": security,
        "HELPDESK_IMAP_USER": env.get("HELPDESK_IMAP_USER") or None,
        "HELPDESK_IMAP_PASSWORD": env.get("HELPDESK_IMAP_PASSWORD") or None,
        "HELPDESK_IMAP_FOLDER": env.get("HELPDESK_IMAP_FOLDER") or "INBOX",
        "HELPDESK_IMAP_DONE_FOLDER": env.get("HELPDESK_IMAP_DONE_FOLDER") or "",
    }


def _weekly_offs(text):
    try:
        parse_weekly_offs(text)
    except DomainError as error:
        raise ConfigError(f"WEEKLY_OFFS must name some days of the week as mon,...,sun, not {text!r} "
                          f"({error.code})") from error
    return text


def _grace_days(text):
    try:
        days = int(text)
    except ValueError:
        days = -1
    if days < 0:
        raise ConfigError(f"FORM_GRACE_DAYS must be a whole number of days, 0 or more, not {text!r}")
    return days


def _refuse_unsafe_production(env, overrides, secret_key, instance, database_url):
    """What would make a production server unsafe, refused at start with the setting to change."""
    # A short key is guessable and the development key sits in a file anyone on the machine may have copied.
    dev_key = instance / "secret_key"
    if len(secret_key) < MIN_SECRET_KEY or (dev_key.exists() and dev_key.read_text().strip() == secret_key):
        raise ConfigError(f"SECRET_KEY must be a random value of at least {MIN_SECRET_KEY} characters of its own "
                          "when APP_ENV=production (python3 -c 'import secrets; print(secrets.token_hex(32))')")
    # `flask run --debug` sets FLASK_DEBUG: the debugger runs any code a visitor types.
    if _flag(env.get("FLASK_DEBUG", "")) or overrides.get("DEBUG"):
        raise ConfigError("FLASK_DEBUG (debug mode) must be off when APP_ENV=production")
    if database_url.startswith("sqlite") and not _flag(env.get("ALLOW_SQLITE_IN_PRODUCTION", "")):
        raise ConfigError("DATABASE_URL names SQLite, which serves one machine only: set DATABASE_URL to "
                          "PostgreSQL, or ALLOW_SQLITE_IN_PRODUCTION=1 for a single-machine deployment")


def _count(env, name, default):
    text = env.get(name, str(default))
    if not text.isdigit():
        raise ConfigError(f"{name} must be a whole number, 0 or more, not {text!r}")
    return int(text)


def _serving_settings(env):
    """Behind nginx, the health and metrics endpoints, the job queue and the logs (docs/deployment.md)."""
    # In production nginx usually runs on this machine: loopback would then be every visitor (PROXY_COUNT unset).
    production = env.get("APP_ENV") == "production"
    networks = env.get("METRICS_ALLOW_NETWORKS", "" if production else "127.0.0.1/32,::1/128")
    try:
        allowed = tuple(ipaddress.ip_network(n.strip()) for n in networks.split(",") if n.strip())
    except ValueError as error:
        raise ConfigError(f"METRICS_ALLOW_NETWORKS must be networks like 10.0.0.0/8, comma-separated: {error}")
    log_format = env.get("LOG_FORMAT", "json" if production else "text")
    if log_format not in LOG_FORMATS:
        raise ConfigError(f"LOG_FORMAT must be one of {', '.join(LOG_FORMATS)}, not {log_format!r}")
    return {
        "PROXY_COUNT": _count(env, "PROXY_COUNT", 0),
        "REDIS_URL": env.get("REDIS_URL") or None,
        "JOBS_QUEUE_NAME": env.get("JOBS_QUEUE_NAME") or "jansahayak",
        "JOB_RETRY_DELAY": _count(env, "JOB_RETRY_DELAY", 30),
        "METRICS_TOKEN": env.get("METRICS_TOKEN") or None,
        "METRICS_ALLOW_NETWORKS": allowed,
        "LOG_FORMAT": log_format,
        # Retention (DPDP Act): days after which `privacy purge` removes each kind (docs/privacy.md).
        "RETENTION_TICKET_ATTACHMENT_DAYS": _count(env, "RETENTION_TICKET_ATTACHMENT_DAYS", 180),
        "RETENTION_LOGIN_CODE_DAYS": max(_count(env, "RETENTION_LOGIN_CODE_DAYS", 1), 1),
        "RETENTION_TOKEN_DAYS": _count(env, "RETENTION_TOKEN_DAYS", 30),
    }


def _version(name, text):
    parts = text.split(".")
    if not all(part.isdigit() for part in parts) or not 1 <= len(parts) <= 4:
        raise ConfigError(f"{name} must be a version like 2.3.1, not {text!r}")
    return tuple(int(part) for part in parts)


def _mobile_app_settings(env, production):
    """What the mobile app asks at start (docs/api.md), and the GraphQL endpoint's limits."""
    minimum, latest = env.get("APP_MIN_VERSION", "1.0.0"), env.get("APP_LATEST_VERSION", "1.0.0")
    if _version("APP_MIN_VERSION", minimum) > _version("APP_LATEST_VERSION", latest):
        raise ConfigError(f"APP_MIN_VERSION {minimum} is newer than APP_LATEST_VERSION {latest}")
    body = env.get("GRAPHQL_MAX_BODY_BYTES", "65536")
    if not body.isdigit() or int(body) < 1024:
        raise ConfigError(f"GRAPHQL_MAX_BODY_BYTES must be a number of bytes, 1024 or more, not {body!r}")
    return {
        "APP_MIN_VERSION": minimum,
        "APP_LATEST_VERSION": latest,
        "APP_MAINTENANCE_MESSAGE": env.get("APP_MAINTENANCE_MESSAGE", "").strip(),
        "APP_MAINTENANCE_MESSAGE_HI": env.get("APP_MAINTENANCE_MESSAGE_HI", "").strip(),
        "GRAPHQL_MAX_BODY_BYTES": int(body),
        # Only the app's own documents (graphql/operations/), by their sha256: a stolen token runs nothing else.
        "GRAPHQL_PERSISTED_ONLY": _flag(env.get("GRAPHQL_PERSISTED_ONLY", "")),
        # Introspection tells a stranger every field; the mobile team has graphql/schema.graphql.
        "GRAPHQL_INTROSPECTION": not production,
    }


def load(overrides=None):
    """The app's configuration: environment first, then `overrides` (tests)."""
    env = dict(os.environ)
    env.update({k: str(v) for k, v in (overrides or {}).items() if isinstance(v, (str, int))})
    app_env = env.get("APP_ENV", "development")
    if app_env not in APP_ENVS:
        raise ConfigError(f"APP_ENV must be one of {', '.join(APP_ENVS)}, not {app_env!r}")
    instance = instance_dir()
    production = app_env == "production"

    secret_key = env.get("SECRET_KEY")
    if not secret_key:
        if production:
            raise ConfigError("SECRET_KEY must be set when APP_ENV=production")
        secret_key = _development_secret(instance)
    database_url = env.get("DATABASE_URL", f"sqlite:///{instance / 'jansahayak.db'}")
    if production:
        _refuse_unsafe_production(env, overrides or {}, secret_key, instance, database_url)

    config = {
        "APP_ENV": app_env,
        "SECRET_KEY": secret_key,
        "DATABASE_URL": database_url,
        # A streaming replica the dashboard's figures are read from (docs/deployment.md); unset: the primary.
        "DATABASE_REPLICA_URL": env.get("DATABASE_REPLICA_URL") or None,
        "DEBUG": app_env == "development",
        "TESTING": app_env == "test",
        "GRAPHIQL": app_env == "development",
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": production,
        "REMEMBER_COOKIE_SECURE": production,
        "REMEMBER_COOKIE_HTTPONLY": True,
        "BABEL_DEFAULT_LOCALE": "en",
        "BABEL_DEFAULT_TIMEZONE": "Asia/Kolkata",
        "BABEL_TRANSLATION_DIRECTORIES": str(ROOT / "translations"),
        "GRAPHQL_MAX_PAGE_SIZE": int(env.get("GRAPHQL_MAX_PAGE_SIZE", 100)),
        "IDLE_TIMEOUT_MINUTES": int(env.get("IDLE_TIMEOUT_MINUTES", 30)),
        "WEEKLY_OFFS": _weekly_offs(env.get("WEEKLY_OFFS", "sat,sun")),
        "FORM_GRACE_DAYS": _grace_days(env.get("FORM_GRACE_DAYS", str(GRACE_DAYS))),
        **_notification_settings(env, production),
        **_helpdesk_settings(env, production),
        **_mobile_app_settings(env, production),
        **_serving_settings(env),
    }
    config.update(overrides or {})
    return config
