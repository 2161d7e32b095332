# Sourced by scripts/serve and scripts/test: a .venv with requirements.txt installed.
if ! python3 -c 'import sys; sys.exit(sys.version_info < (3, 11))'; then
  echo "Python 3.11 or newer is needed (python3 is $(python3 --version 2>&1))." >&2
  exit 1
fi
[ -x .venv/bin/python ] || python3 -m venv .venv
# Reinstall only when requirements.txt changed since the last install.
if ! cmp -s requirements.txt .venv/.installed-requirements; then
  .venv/bin/python -m pip install --quiet --disable-pip-version-check -r requirements.txt
  cp requirements.txt .venv/.installed-requirements
fi
