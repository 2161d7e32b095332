"""Finding a service (or a place) by what a citizen types: English, Hindi in any common spelling, or Hindi in
Roman letters.

Each name gets three keys, and a query matches when its key of the same kind is
found inside the name's:

- **English**: lower case, one space between words (`name_en`).
- **Hindi** (`name_hi`, a query in Devanagari): Unicode NFD with the nukta
  dropped (ज़ = ज, ड़ = ड), a half nasal before a consonant written as the
  anusvara (अम्बाला = अंबाला, सम्पत्ति = संपत्ति), the chandrabindu as the
  anusvara (प्रतियाँ = प्रतियां), then NFC; no spaces or punctuation
  (प्रमाणपत्र = प्रमाण पत्र).
- **Roman** (`name_hi` against a query in Latin letters): a consonant skeleton
  of how the name sounds, written the same from Devanagari and from the Roman
  letters people type. The scheme, our own and deliberately loose:
  - vowels are dropped, but a word that begins with one begins with `a`
    (आय -> `ay`, "aay" -> `ay`; आधार, "aadhar", "adhar" -> `adr`), so
    "pramaan", "praman" and प्रमाण are all `prmn`;
  - aspiration is dropped: ख, "kh" -> `k`; घ `g`; छ, "chh", च, "ch" -> `c`;
    झ `j`; ठ, थ, "th" -> `t`; ढ, ध, "dh" -> `d`; भ, "bh" -> `b`; फ, फ़,
    "ph", "f" -> `f`;
  - श ष स, "sh", "s" -> `s`; ट त -> `t`; ड द -> `d`; ण न ङ ञ -> `n`; व, "w",
    "v" -> `v`; ज़, "z" -> `j`; क़, "q" -> `k`; "x" -> `ks`; ड़ ढ़ -> `r`
    (पिछड़ा, "pichhda" or "pichhra": `pcr`, and the typed "d" is tried as `r` too;
    नारायणगढ़, "narayangarh": `nryngr`);
    ऋ and its sign -> `r` (कृषि, "krishi" -> `krs`); ज्ञ, "gy" -> `gy`;
  - the anusvara and the chandrabindu are `n`, and so is an `m` before `p`, `f`
    or `b`, typed or written म् (संपत्ति, सम्पत्ति, "sampatti", "sanpatti" ->
    `snpt`; अंबाला, "ambala" -> `anbl`); the visarga is `h`;
  - a letter twice in a row is once ("pattra" = "patra"), and spaces do not
    count ("pramanpatra" = "praman patra").
  A Roman query shorter than two skeleton letters matches by English only.

Nothing here reads the database: models/service_search.py keeps the services' keys.
"""
import re
import unicodedata

NUKTA = "\u093c"
VIRAMA = "\u094d"
ANUSVARA = "\u0902"
CHANDRABINDU = "\u0901"
VISARGA = "\u0903"
DEVANAGARI = re.compile(r"[\u0900-\u097f]")
# Nasal consonants written half (with the virama) before another consonant: the anusvara's other spelling.
HALF_NASAL = re.compile("[\u0919\u091e\u0923\u0928\u092e]" + VIRAMA + "(?=[\u0915-\u0939])")
# What a key keeps of a Hindi name: Devanagari letters and signs, and digits and Latin letters.
NOT_KEPT = re.compile(r"[^\u0900-\u0963\u0966-\u097fa-z0-9]")

CONSONANTS = dict(zip(
    "कखगघङचछजझञटठडढणतथदधनपफबभमयरलवशषसहळ",
    "k k g g n c c j j n t t d d n t t d d n p f b b m y r l v s s s h l".split()))
INDEPENDENT_VOWELS = set("अआइईउऊएऐओऔऍऑ")
VOCALIC_R = set("ऋ\u0943")  # the letter and its vowel sign
# Typed digraphs first, then the letters: every aspirate loses its h, as the skeleton of Devanagari does.
TYPED = [("chh", "c"), ("ch", "c"), ("sh", "s"), ("kh", "k"), ("gh", "g"), ("jh", "j"), ("th", "t"),
         ("dh", "d"), ("rh", "r"), ("ph", "f"), ("bh", "b"), ("w", "v"), ("z", "j"), ("q", "k"), ("x", "ks")]
VOWELS = set("aeiou")


def english_key(text):
    return " ".join((text or "").lower().split())


def hindi_key(text):
    """Devanagari as compared: the common spelling variants made one, without spaces or punctuation."""
    text = unicodedata.normalize("NFD", text or "").replace(NUKTA, "").replace(CHANDRABINDU, ANUSVARA)
    text = HALF_NASAL.sub(ANUSVARA, unicodedata.normalize("NFC", text))
    return NOT_KEPT.sub("", text.lower())


def _skeleton(words):
    """The shared end of both transliterations: the words' letters joined, an m before p, f or b as n (the
    anusvara's other spelling), no letter twice in a row."""
    letters = [letter for word in words for letter in word]
    out = []
    for letter, following in zip(letters, letters[1:] + [""]):
        letter = "n" if letter == "m" and following in ("p", "f", "b") else letter
        if not out or out[-1] != letter:
            out.append(letter)
    return "".join(out)


def roman_key_of_hindi(text):
    """The Roman skeleton of a Devanagari name (the scheme above)."""
    words = []
    text = unicodedata.normalize("NFD", text or "")
    for word in text.split():
        letters = []
        words.append(letters)
        chars = list(word)
        for n, char in enumerate(chars):
            following = chars[n + 1] if n + 1 < len(chars) else ""
            if char == "ज" and following == VIRAMA and chars[n + 2:n + 3] == ["ञ"]:
                letters += ["g", "y"]
            elif char == "ञ" and n >= 2 and chars[n - 2] == "ज" and chars[n - 1] == VIRAMA:
                continue
            elif char in "डढ" and following == NUKTA:
                letters.append("r")
            elif char in CONSONANTS:
                letters.append(CONSONANTS[char])
            elif char in INDEPENDENT_VOWELS:
                if n == 0:
                    letters.append("a")
            elif char in VOCALIC_R:
                letters.append("r")
            elif char in (ANUSVARA, CHANDRABINDU):
                letters.append("n")
            elif char == VISARGA:
                letters.append("h")
            elif char.isascii() and char.isalnum():
                letters.append(char.lower())
    return _skeleton(words)


def roman_keys_of_typed(text):
    """The Roman skeletons of what was typed in Latin letters: with a "d" or "dh" that may stand for ड़ or
    ढ़, the reading with "r" too; ending in m, the reading with n."""
    text = unicodedata.normalize("NFKD", (text or "").lower())
    words = []
    for word in re.findall(r"[a-z0-9]+", text):
        for typed, letter in TYPED:
            word = word.replace(typed, letter)
        words.append((["a"] if word[0] in VOWELS else []) + [c for c in word if c not in VOWELS])
    key = _skeleton(words)
    keys = {key, key.replace("d", "r")}
    # A last m may stand before a labial in the name, where it reads n.
    return keys | {_skeleton([k[:-1] + "n"]) for k in keys if k.endswith("m")}


def is_devanagari(text):
    return bool(DEVANAGARI.search(text or ""))


class Keys:
    """A name's keys, computed once."""
    __slots__ = ("english", "hindi", "roman")

    def __init__(self, name_en, name_hi):
        self.english = english_key(name_en)
        self.hindi = hindi_key(name_hi)
        self.roman = roman_key_of_hindi(name_hi)


class Query:
    """What was typed, as keys, computed once for all the names it is matched with."""

    def __init__(self, text):
        self.devanagari = is_devanagari(text)
        self.hindi = hindi_key(text) if self.devanagari else ""
        self.english = english_key(text)
        self.roman = {key for key in roman_keys_of_typed(text) if len(key) >= 2} if not self.devanagari else set()

    def matches(self, keys):
        if self.devanagari:
            return bool(self.hindi) and self.hindi in keys.hindi
        return self.english in keys.english or any(key in keys.roman for key in self.roman)
