"""Serbian Latin to Cyrillic: real names, digraphs that are not digraphs, and what stays Latin."""

import pytest

from core.transliteration import po_to_cyrillic, to_cyrillic


@pytest.mark.parametrize(
    ("latin", "cyrillic"),
    [
        ("Đurđevac", "Ђурђевац"),
        ("Ljubuški", "Љубушки"),
        ("Njemačka", "Њемачка"),
        ("Džemat", "Џемат"),
        ("Banja Luka", "Бања Лука"),
        ("Čačak i Ćuprija", "Чачак и Ћуприја"),
        ("Šabac, Žepče", "Шабац, Жепче"),
        ("LJUBUŠKI NJEGOŠ DŽEMAT", "ЉУБУШКИ ЊЕГОШ ЏЕМАТ"),
        ("Ljiljana", "Љиљана"),
        # "nj", "dž" across a prefix and a root are two letters
        ("Injekcija", "Инјекција"),
        ("injekcije", "инјекције"),
        ("konjunkcija", "конјункција"),
        ("nadživjeti", "надживјети"),
        ("podžupan", "поджупан"),
        ("BiH", "БиХ"),
    ],
)
def test_serbian_latin_becomes_cyrillic(latin, cyrillic):
    assert to_cyrillic(latin) == cyrillic


@pytest.mark.parametrize(
    "kept",
    [
        "https://diaspora-portal.example/sastanci/nj?x=lj",
        "www.mhrr.gov.ba",
        "ljiljana.njegovan@example.ba",
        "%(name)s",
        "%(count)d",
        "%s",
        "{count}",
        "{0:.1f}",
        "{{ meeting.title }}",
        "{% url 'home' %}",
        '<a href="/organizations/?country=DE" class="link">',
        "&amp;",
        "CSV",
        "JSON",
        "iCalendar",
        "Diaspora Online Check-In",
        "Online check-in",
        "(.ics)",
        "WhatsApp",
    ],
)
def test_what_is_not_serbian_text_stays_as_it_is(kept):
    assert to_cyrillic(f"Pošalji {kept} sada") == f"Пошаљи {kept} сада"


def test_markdown_link_keeps_its_target_and_changes_its_text():
    assert to_cyrillic("[Zapisnik](/meetings/zapisnik/)") == "[Записник](/meetings/zapisnik/)"


def test_cyrillic_text_is_left_as_it_is():
    assert to_cyrillic("Бања Лука") == "Бања Лука"


def test_a_catalogue_gets_cyrillic_translations_and_keeps_its_ids_and_header():
    source = "\n".join(
        [
            "# Portal.",
            'msgid ""',
            'msgstr ""',
            '"Language: sr_Latn\\n"',
            '"Plural-Forms: nplurals=3; plural=(n%10==1 && n%100!=11 ? 0 : 2);\\n"',
            "",
            "#: meetings/views.py:10",
            'msgid "Next meetings"',
            'msgstr "Sledeći sastanci"',
            "",
            'msgctxt "month"',
            'msgid "August"',
            'msgstr "Avgust"',
            "",
            'msgid "%(count)s organization"',
            'msgid_plural "%(count)s organizations"',
            'msgstr[0] "%(count)s organizacija"',
            'msgstr[1] "%(count)s organizacije"',
            'msgstr[2] "%(count)s organizacija"',
            "",
            'msgid ""',
            '"A long "',
            '"text"',
            'msgstr ""',
            '"Dug \\"tekst\\" "',
            '"u dva reda"',
            "",
        ]
    )

    result = po_to_cyrillic(source)

    assert '"Language: sr\\n"' in result
    assert "Plural-Forms: nplurals=3" in result
    assert 'msgid "Next meetings"\nmsgstr "Следећи састанци"' in result
    assert 'msgctxt "month"\nmsgid "August"\nmsgstr "Август"' in result
    assert 'msgstr[0] "%(count)s организација"' in result
    assert 'msgstr[1] "%(count)s организације"' in result
    assert 'msgstr ""\n"Дуг \\"текст\\" "\n"у два реда"' in result
    assert "#: meetings/views.py:10" in result
