"""The password policy: long enough, not the officer's own name or e-mail, and
not one of the passwords people choose most often.

The lists beside this file, one lowercased password a line:
- common-passwords.txt: the first 10,000 lines (most common first) of the list
  Django 5.2.8 ships as django/contrib/auth/common-passwords.txt.gz (BSD
  licence), which is Royce Williams' list of 20,000 common passwords:
  https://gist.github.com/roycewilliams/226886fd01572964e1431ac8afc999ce
- common-passwords-india.txt: written by hand for this project: words Indian
  and Haryanvi passwords are built on (places, deities, "jaihind", "sarkar"),
  which the list above lacks or ranks low.
"""
import re
from functools import cache
from pathlib import Path

from .errors import DomainError

MIN_LENGTH = 10
# Longer is no password anyone types, and each try would be hashed whole (scrypt): refused unhashed.
MAX_LENGTH = 1024
LISTS = [Path(__file__).with_name(name) for name in ("common-passwords.txt", "common-passwords-india.txt")]

# "Password@123", "India#2024!": a common word dressed up with digits and
# symbols at the end is the commonest pattern of all, so the bare word counts.
_DRESSING = re.compile(r"[\d\W_]+$")
# Shorter words are too ordinary to refuse wherever they appear.
_SHORTEST_WORD = 4


@cache
def common_passwords():
    words = set()
    for path in LISTS:
        words.update(line.strip() for line in path.read_text(encoding="utf-8").splitlines())
    words.discard("")
    return frozenset(words)


def validate_password(password, officer):
    """Raise DomainError unless `password` may be `officer`'s password.

    `officer` may be unsaved (an officer being created); only its name and
    e-mail are read.
    """
    if len(password) < MIN_LENGTH:
        raise DomainError("password_too_short", min_length=MIN_LENGTH)
    if len(password) > MAX_LENGTH:
        raise DomainError("password_too_long", max_length=MAX_LENGTH)
    folded = password.casefold()
    if _contains_account_words(folded, officer):
        raise DomainError("password_like_account")
    stem = _DRESSING.sub("", folded)
    common = common_passwords()
    if folded in common or (len(stem) >= _SHORTEST_WORD and stem in common):
        raise DomainError("password_too_common")


def _contains_account_words(folded, officer):
    local_part = (officer.email or "").split("@")[0].casefold()
    words = re.findall(r"[^\W\d_]+", f"{officer.name or ''} {local_part}".casefold())
    return any(word in folded for word in [local_part, *words] if len(word) >= _SHORTEST_WORD)
