"""The catalogue search's keys (models/name_search.py): Hindi spelling variants made one, Roman letters read
as Hindi by the documented scheme; no database."""
import unicodedata

import pytest

from models.name_search import Keys, Query


def matches(typed, name_hi, name_en=""):
    return Query(typed).matches(Keys(name_en, name_hi))


@pytest.mark.parametrize("typed, name", [
    ("अम्बाला", "अंबाला"),  # a half nasal or the anusvara
    ("अंबाला", "अम्बाला"),
    ("सम्पत्ति", "संपत्ति"),
    ("दस्तावेज", "पंजीकृत दस्तावेज़ की सत्यापित प्रति"),  # with a nukta or without
    ("पिछड़ा", "पिछडा वर्ग"),
    ("प्रतियां", "ग्राम स्तर की सत्यापित प्रतियाँ"),  # chandrabindu or anusvara
    ("प्रमाणपत्र", "आय प्रमाण पत्र"),  # spaces do not count
    ("आय प्रमाण", "आय प्रमाण पत्र"),
])
def test_devanagari_spelling_variants_are_equal(typed, name):
    assert matches(typed, name)
    # The same in either Unicode normal form, on either side.
    for form in ("NFC", "NFD"):
        assert matches(unicodedata.normalize(form, typed), unicodedata.normalize("NFD" if form == "NFC" else "NFC",
                                                                                  name))


@pytest.mark.parametrize("typed, name", [
    ("aay praman patra", "आय प्रमाण पत्र"),
    ("aay pramaan pattra", "आय प्रमाण पत्र"),
    ("pramanpatra", "आय प्रमाण पत्र"),
    ("jati", "अनुसूचित जाति प्रमाण पत्र"),
    ("pichhda varg", "पिछड़ा वर्ग प्रमाण पत्र"),
    ("pichhra warg", "पिछड़ा वर्ग प्रमाण पत्र"),
    ("vridhavastha samman", "वृद्धावस्था सम्मान भत्ता"),
    ("janam", "जन्म/मृत्यु प्रमाण पत्र की प्रति"),
    ("ambala", "अंबाला"),
    ("Ambaala", "अम्बाला"),
    ("sampatti", "संपत्ति"),
    ("sanpatti", "सम्पत्ति"),
    ("gyan", "ज्ञान"),
    ("krishi", "कृषि"),
    ("kurukshetra", "कुरुक्षेत्र"),
    ("aadhar", "आधार"),
    ("nishandehi", "भूमि की निशानदेही"),
])
def test_roman_letters_match_hindi_names(typed, name):
    assert matches(typed, name)


@pytest.mark.parametrize("typed, name", [
    ("aay", "निवासी प्रमाण पत्र"),
    ("jati", "पिछड़ा वर्ग प्रमाण पत्र"),
    ("bijli", "व्यापार लाइसेंस"),
    ("a", "आय प्रमाण पत्र"),  # too short to read as Hindi
    ("हिसार", "अंबाला"),
])
def test_what_does_not_match(typed, name):
    assert not matches(typed, name)


def test_english_names_match_by_words_in_any_case():
    assert matches("INCOME  cert", "आय प्रमाण पत्र", "Income certificate")
    assert not matches("income", "आय प्रमाण पत्र", "Resident certificate")
