"""Which text a reader gets when there is none in their language."""

from core.languages import Text, in_script, pick, written

TEXTS = {"bs": "Sedmica u Beču", "en": "A week in Vienna"}


def test_own_language_first():
    assert pick({**TEXTS, "hr": "Tjedan u Beču"}, "hr") == Text("Tjedan u Beču", "hr")


def test_croatian_and_serbian_latin_read_bosnian():
    assert pick(TEXTS, "hr") == Text("Sedmica u Beču", "bs")
    assert pick(TEXTS, "sr-latn") == Text("Sedmica u Beču", "bs")


def test_serbian_cyrillic_reads_the_serbian_latin_text_transliterated():
    texts = {**TEXTS, "sr-latn": "Nedelja u Beču"}

    assert pick(texts, "sr") == Text("Недеља у Бечу", "sr-latn", transliterated=True)


def test_serbian_cyrillic_reads_bosnian_transliterated_when_there_is_no_serbian():
    assert pick(TEXTS, "sr") == Text("Седмица у Бечу", "bs", transliterated=True)


def test_english_reads_the_original_then_any():
    assert pick({"bs": "Tekst"}, "en", original="bs") == Text("Tekst", "bs")
    assert pick({"hr": "Tekst"}, "en") == Text("Tekst", "hr")


def test_nothing_gives_an_empty_text():
    assert pick({}, "hr").text == ""


def test_serbian_cyrillic_is_not_a_language_people_write_in():
    languages = [("bs", "B"), ("hr", "H"), ("sr-latn", "SL"), ("sr", "S"), ("en", "E")]

    assert [code for code, _name in written(languages)] == ["bs", "hr", "sr-latn", "en"]


def test_only_south_slavic_text_is_transliterated_and_only_on_request():
    assert in_script("Džemat", language="bs", cyrillic=True) == "Џемат"
    assert in_script("Džemat", language="bs", cyrillic=False) == "Džemat"
    assert in_script("Jungle", language="en", cyrillic=True) == "Jungle"
    assert in_script("Die Njemačka", language="de", cyrillic=True) == "Die Njemačka"
