"""The pattern a form field's answer must match: a dialect Python and the app's JavaScript read alike.

An administrator writes the pattern once; the server checks answers with it
and the app (and the counter's page) checks them before sending. Both must
agree on every answer, so only a small subset of regular expressions is
accepted, parsed here rather than trusted (docs/service-forms.md lists it):

    literal characters      anything but  \\ ^ $ . | ? * + ( ) [ ] { }
    escaped ones            \\\\ \\^ \\$ \\. \\| \\? \\* \\+ \\( \\) \\[ \\] \\{ \\} \\/
    classes                 \\d \\D \\w \\W \\s \\S and .
    sets                    [abc] [a-z0-9] [^...] [\\d\\w\\s] (escape ( ) [ ] { } / - \\ | inside)
    quantifiers             ? * + {n} {n,} {n,m} (greedy, at most 1000)
    anchors                 ^ $
    groups, alternation     (...) (?:...) |

The pattern is matched against the whole answer. In JavaScript:
new RegExp("^(?:" + pattern + ")$", "u"), or an <input pattern="...">; the
dialect means the same with no flag, with u and with v. The server runs a
translation of it (\\d is 0-9, \\s is JavaScript's white space, . stops at
line ends as there) under the `regex` package's time limit, so that no
pattern can hold a worker however it backtracks.
"""
import functools

import regex

MAX_LENGTH = 200
MAX_REPEAT = 1000
TIME_LIMIT = 0.05  # seconds per answer: far more than any sane pattern needs

SYNTAX = set("\\^$.|?*+()[]{}")
# Inside a set, JavaScript's v flag (which <input pattern> uses) wants these escaped.
SET_SYNTAX = set("()[]{}/-\\|")
# ... and reads these doubled as set operators (&& is an intersection).
SET_DOUBLES = set("&!#$%*+,.:;<=>?@^`~")
# Written out, for the server to mean by them what JavaScript means.
JS_SPACE = "\\t\\n\\x0b\\x0c\\r \\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000\\ufeff"
CLASSES = {"d": "0-9", "w": "A-Za-z0-9_", "s": JS_SPACE}
DOT = "[^\\n\\r\\u2028\\u2029]"


class Unsupported(Exception):
    def __init__(self, construct, position):
        super().__init__(construct, position)
        self.construct = construct
        self.position = position


def check(pattern):
    """(code, params) of what is wrong with `pattern`, or None when the server and the app may use it."""
    if len(pattern) > MAX_LENGTH:
        return "form_pattern_too_long", {"max": MAX_LENGTH, "length": len(pattern)}
    try:
        regex.compile(pattern)
    except regex.error as error:
        return "form_pattern_invalid", {"detail": str(error)}
    try:
        translation = _Parser(pattern).translate()
    except Unsupported as error:
        return "form_pattern_unsupported", {"construct": error.construct, "position": error.position + 1}
    # The translation is ours: a failure here is a bug, not the administrator's error.
    regex.compile(translation)
    return None


def matches(pattern, text):
    """Whether the whole of `text` matches `pattern` (one check() accepted).

    Raises TimeoutError when the match takes longer than TIME_LIMIT.
    """
    return _compiled(pattern).fullmatch(text, timeout=TIME_LIMIT) is not None


@functools.lru_cache(maxsize=512)
def _compiled(pattern):
    return regex.compile(_Parser(pattern).translate())


class _Parser:
    """A recursive descent over the dialect, writing the server's translation as it goes."""

    def __init__(self, pattern):
        self.text = pattern
        self.at = 0

    def translate(self):
        for position, char in enumerate(self.text):
            # JavaScript without the u flag reads these as two characters.
            if ord(char) > 0xFFFF or 0xD800 <= ord(char) <= 0xDFFF or ord(char) < 0x20:
                raise Unsupported(f"U+{ord(char):04X}", position)
        out = self.alternation()
        if self.at < len(self.text):
            raise Unsupported(self.text[self.at], self.at)  # a ) without its (
        return out

    def peek(self, length=1):
        return self.text[self.at:self.at + length]

    def alternation(self):
        branches = [self.sequence()]
        while self.peek() == "|":
            self.at += 1
            branches.append(self.sequence())
        return "|".join(branches)

    def sequence(self):
        out = []
        while self.at < len(self.text) and self.peek() not in ("|", ")"):
            start = self.at
            atom, repeatable = self.atom()
            quantifier = self.quantifier()
            if quantifier and not repeatable:
                raise Unsupported(self.text[start:self.at], start)
            out.append(atom + quantifier)
        return "".join(out)

    def atom(self):
        """(translation, whether a quantifier may follow) of the atom at the cursor."""
        start, char = self.at, self.peek()
        self.at += 1
        if char == "^":
            return "\\A", False
        if char == "$":
            return "\\Z", False
        if char == ".":
            return DOT, True
        if char == "\\":
            return self.escape(start), True
        if char == "[":
            return self.set(start), True
        if char == "(":
            return self.group(start), True
        if char in SYNTAX:
            raise Unsupported(char, start)  # a quantifier with nothing to repeat, or a lone ] { }
        return regex.escape(char), True

    def escape(self, start):
        char = self.peek()
        self.at += 1
        if char.lower() in CLASSES:
            inside = CLASSES[char.lower()]
            return f"[^{inside}]" if char.isupper() else f"[{inside}]"
        if char in SYNTAX or char == "/":
            return regex.escape(char)
        raise Unsupported("\\" + char, start)  # backreferences, \b, \n, \u...

    def group(self, start):
        if self.peek() == "?":
            if self.peek(2) != "?:":
                raise Unsupported(self.text[start:self.at + 2], start)  # lookarounds, names, flags
            self.at += 2
        inside = self.alternation()
        if self.peek() != ")":
            raise Unsupported("(", start)
        self.at += 1
        return f"(?:{inside})"

    def quantifier(self):
        start, char = self.at, self.peek()
        if char in ("?", "*", "+"):
            self.at += 1
            out = char
        elif char == "{":
            end = self.text.find("}", start)
            body = self.text[start + 1:end] if end > 0 else ""
            low, comma, high = body.partition(",")
            if not (low.isdigit() and (not high or high.isdigit()) and low.isascii() and high.isascii()):
                raise Unsupported(char, start)  # {,m}, a lone {, {a}
            if int(low) > MAX_REPEAT or (high and not int(low) <= int(high) <= MAX_REPEAT):
                raise Unsupported(self.text[start:end + 1], start)
            self.at = end + 1
            out = self.text[start:end + 1]
        else:
            return ""
        if self.peek() in ("?", "*", "+", "{"):
            raise Unsupported(self.text[start:self.at + 1], start)  # lazy, possessive or repeated
        return out

    def set(self, start):
        negated = self.peek() == "^"
        if negated:
            self.at += 1
        items = []
        while self.peek() != "]":
            if not self.peek():
                raise Unsupported("[", start)
            begin = self.at
            first = self.set_char()
            if self.peek() == "-":
                self.at += 1
                last = self.set_char()
                if first in CLASSES.values() or last in CLASSES.values() or first > last:
                    raise Unsupported(self.text[begin:self.at], begin)
                items.append(f"{regex.escape(first)}-{regex.escape(last)}")
            else:
                items.append(first if first in CLASSES.values() else regex.escape(first))
        self.at += 1
        if not items:
            raise Unsupported(self.text[start:self.at], start)  # [] and [^]: JavaScript only
        return "[" + ("^" if negated else "") + "".join(items) + "]"

    def set_char(self):
        """One character of a set, or the range text of \\d \\w \\s."""
        position, char = self.at, self.peek()
        self.at += 1
        if char == "\\":
            escaped = self.peek()
            self.at += 1
            if escaped in CLASSES:
                return CLASSES[escaped]
            if escaped in SYNTAX or escaped in SET_SYNTAX:
                return escaped
            raise Unsupported("\\" + escaped, position)  # \D \W \S inside a set among them
        if char in SET_SYNTAX or (char in SET_DOUBLES and self.peek() == char):
            raise Unsupported(char * (2 if char in SET_DOUBLES else 1), position)
        return char
