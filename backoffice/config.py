"""Settings, read from the environment once when the app is built.

docs/settings.md lists every setting; keep the two in step.
"""
import os
import secrets
from pathlib import Path

from models.clock import parse_weekly_offs
from models.errors import DomainError

APP_ENVS = ("development", "test", "production")
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


def _weekly_offs(text):
    try:
        parse_weekly_offs(text)
    except DomainError as error:
        raise ConfigError(f"WEEKLY_OFFS must name some days of the week as mon,...,sun, not {text!r} "
                          f"({error.code})") from error
    return text


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

    config = {
        "APP_ENV": app_env,
        "SECRET_KEY": secret_key,
        "DATABASE_URL": env.get("DATABASE_URL", f"sqlite:///{instance / 'jansahayak.db'}"),
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
    }
    config.update(overrides or {})
    return config
