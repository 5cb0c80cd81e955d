"""A buyer finds a product whichever script and form of a word they type: a Latin spelling
of a Hindi word and the other way round, a Hindi plural, an English plural, and the common
craft words of the glossary ("चूड़ी" is bangle). On SQLite (FTS5) and PostgreSQL (tsvector)."""

import unicodedata
from importlib import resources

from odop_bazaar.services.catalogue import search, word_forms
from tests.factories import listing, make_places, make_seller


def _found(app, query: str) -> set[str]:
    with app.test_request_context():
        return {card.title for card in search.search_listings(query, search.Filters()).cards}


def _shop(app):
    make_places(app)
    _, maker = make_seller(app, "approved")
    listing(app, maker, "Bridal set", title_hi="कुंदन मीना हार", description="Handmade.")
    listing(app, maker, "Glass bangles", description="A dozen, in red.")
    listing(app, maker, "Kundan earrings", description="Gold plated.")
    listing(app, maker, "Wedding chura", title_hi="लाल चूड़ियाँ", description="Handmade.")
    listing(app, maker, "Brass lamp", description="For puja.")


def test_a_latin_spelling_finds_the_hindi_title_and_the_glossary_its_word(app):
    _shop(app)
    assert _found(app, "kundan necklace") == {"Bridal set"}  # कुंदन by sound, हार by glossary
    assert _found(app, "kundan") == {"Bridal set", "Kundan earrings"}
    assert _found(app, "haar") == {"Bridal set"}


def test_a_hindi_word_finds_its_english_twin(app):
    _shop(app)
    assert _found(app, "कुंदन") == {"Bridal set", "Kundan earrings"}  # by sound
    assert _found(app, "पीतल दीया") == {"Brass lamp"}  # by the glossary
    assert "Glass bangles" in _found(app, "चूड़ी")


def test_plurals_meet_their_singular_in_both_languages(app):
    _shop(app)
    assert _found(app, "चूड़ी") == {"Glass bangles", "Wedding chura"}  # चूड़ियाँ in a title
    assert _found(app, "चूड़ियाँ") == {"Glass bangles", "Wedding chura"}
    assert "Glass bangles" in _found(app, "bangle")
    assert "Glass bangles" in _found(app, "bangles")


def test_unrelated_words_still_find_nothing(app):
    _shop(app)
    assert _found(app, "spaceship") == set()
    assert _found(app, "अंतरिक्ष") == set()  # "space": no word of the shop sounds like it
    assert _found(app, "kundan lamp") == set()  # every word must match


def test_sound_keys_of_the_two_scripts_meet():
    pairs = [("kundan", "कुंदन"), ("varanasi", "वाराणसी"), ("banarasi", "बनारसी"),
             ("saree", "साड़ी"), ("ajrakh", "अजरख"), ("moradabad", "मुरादाबाद"),
             ("lucknow", "लखनऊ"), ("chikankari", "चिकनकारी"), ("zari", "ज़री")]
    for latin, hindi in pairs:
        assert word_forms.sound_key(latin) == word_forms.sound_key(hindi), (latin, hindi)
    assert word_forms.hindi_stem("चूड़ियाँ") == word_forms.hindi_stem("चूड़ी")
    assert word_forms.sound_key("silk") != word_forms.sound_key("साड़ी")


def test_the_glossary_pairs_english_words_with_hindi_ones_in_nfc():
    """Each glossary word is one word a side (search matches words), English on the left and
    Devanagari in NFC (the form the index holds) on the right."""
    text = (resources.files("odop_bazaar") / "data" / "search_glossary.csv").read_text("utf-8")
    rows = [line.split(",") for line in text.splitlines()
            if line and not line.startswith("#")][1:]  # after the header
    assert len(rows) > 50
    for english, hindi in rows:
        for word in english.split("|"):
            assert word.isascii() and word.isalpha(), word
        for word in hindi.split("|"):
            assert word_forms.is_devanagari(word) and " " not in word, word
            assert unicodedata.normalize("NFC", word) == word, word
