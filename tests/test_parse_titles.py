"""Headlines from HTML: the site name and section labels around <title> go, the story's own words stay."""

from __future__ import annotations

import pytest

from ingest.parse.html.metadata import read_meta
from ingest.parse.html.safe import as_fromstring, parse_page
from ingest.parse.html.titles import pick_title, runs, site_names


def title_of(head: str, body: str = "", url: str | None = None) -> str | None:
    tree = parse_page(f"<html><head>{head}</head><body>{body}</body></html>")
    return pick_title(tree, read_meta(tree), url)


@pytest.mark.parametrize(
    ("head", "body", "want"),
    [
        # '›' and '«' separate like '|' and '»'; the <h1> confirms the part
        ("<title>Lockdown: Gottesdienste bleiben möglich › evang.at</title>",
         "<h1>Lockdown: Gottesdienste bleiben möglich</h1>", "Lockdown: Gottesdienste bleiben möglich"),
        # a headline with its own colon and hyphen is confirmed whole, not cut at them
        ("<title>ORSO MARSICANO: 2019 UN ANNO - RECORD | Parco Nazionale d'Abruzzo</title>",
         "<h1>ORSO MARSICANO: 2019 UN ANNO - RECORD</h1>", "ORSO MARSICANO: 2019 UN ANNO - RECORD"),
        # section and headline are both headings on the page: the longer is the story's
        ("<title>Fachmeldungen - Verkündung des Tabaksteuergesetzes</title>",
         "<h2>Fachmeldungen</h2><article><h1>Verkündung des Tabaksteuergesetzes</h1></article>",
         "Verkündung des Tabaksteuergesetzes"),
        # WordPress's "Blog Archive" is no part of a headline
        ("<title>Four Years Remaining » Blog Archive » Interning of Small Integers</title>",
         "<h1 class='site-title'><a href='/'>Four Years Remaining</a></h1>", "Interning of Small Integers"),
    ],
)
def test_title_parts(head: str, body: str, want: str) -> None:
    assert title_of(head, body) == want


def test_heading_with_a_label_confirms_the_meta_headline() -> None:
    head = ("<meta name='headline' content='Medienmitteilungen'>"
            "<meta property='og:title' content='Impfen ist bis Ende Februar überall möglich'>")
    body = "<h1>Medienmitteilung der Direktion: Impfen ist bis Ende Februar überall möglich</h1>"
    assert title_of(head, body) == "Impfen ist bis Ende Februar überall möglich"


def test_site_name_from_a_host_under_a_second_level_domain() -> None:
    tree = parse_page("<html></html>")
    assert "bundeskanzleramt" in site_names(read_meta(tree), "https://www.bundeskanzleramt.gv.at/x.html")
    assert title_of("<title>Raab: Neue Rahmenbedingungen gestalten - Bundeskanzleramt Österreich</title>",
                    url="https://www.bundeskanzleramt.gv.at/x.html") == "Raab: Neue Rahmenbedingungen gestalten"


def test_runs_are_adjacent_parts_as_printed() -> None:
    assert runs("Chapter 1: Prologue - Murdered - Melas") == [
        "Chapter 1: Prologue", "Chapter 1: Prologue - Murdered", "Chapter 1: Prologue - Murdered - Melas",
        "Murdered", "Murdered - Melas", "Melas"]


def authors_of(head: str, body: str = "") -> tuple[str, ...]:
    from ingest.parse.html import fields

    page_html = f"<html><head>{head}</head><body>{body}</body></html>"
    tree = parse_page(page_html)
    page = read_meta(tree)
    byline_tree = as_fromstring(tree, page_html, owned=False)
    return fields.authors(tree, page, fields.publisher(page), byline_tree, tuple(site_names(page, None)))


def test_author_referenced_by_id_in_a_json_ld_graph() -> None:
    graph = ('<script type="application/ld+json">{"@graph": [{"@type": "Article", "headline": "H",'
             ' "author": {"@id": "https://x.example/#/schema/person/1"}}, {"@type": "Person",'
             ' "@id": "https://x.example/#/schema/person/1", "name": "Bob Fischer"}]}</script>')
    assert authors_of(graph) == ("Bob Fischer",)


def test_printed_byline_when_nothing_is_declared() -> None:
    body = "<article><h1>Headline</h1><p class='byline'>Interview: Julia Lauter</p><p>Story text.</p></article>"
    assert authors_of("", body) == ("Julia Lauter",)
    talk = "<div class='author'>Richard David Precht im Gespräch mit Karin Fischer</div>"
    assert authors_of("", talk) == ("Richard David Precht", "Karin Fischer")


def test_the_name_on_the_authors_hcard() -> None:
    card = "<span class='byline'>by <span class='author vcard'><a class='url fn n' href='/a/d'>Daniel</a></span></span>"
    assert authors_of("", f"<article><h1>Headline</h1>{card}<p>Story text.</p></article>") == ("Daniel",)
    assert authors_of("", "<span class='author vcard fn'>oz</span>") == ("oz",)
    # a commenter's card is not the story's author, nor is a card that is not the author's
    from ingest.parse.html.fields import _byline_elements

    comment = "<div class='comment-author vcard'><b class='fn'>Mathias</b> says:</div>"
    assert _byline_elements(parse_page(f"<html><body><p>Story text.</p>{comment}</body></html>")) == []
    assert authors_of("", "<div class='vcard'><span class='fn'>Stadtwerke Ahlen</span></div>") == ()

@pytest.mark.parametrize(("printed", "want"), [
    ("ThE_PaiN", "ThE_PaiN"), ("Isabella.DiBiase", "Isabella.DiBiase"), ("tlow", "tlow"),
    ("Author: Bo2man am 29.12.2010, 13:36 Uhr", "Bo2man"), ("Artikel von: Hans Müller", "Hans Müller"),
    ("Jane Doe 12.03.2021", "Jane Doe"),  # a date after the name is not part of it
])
def test_a_printed_byline_names_the_author_as_the_page_spells_it(printed: str, want: str) -> None:
    assert authors_of("", f"<article><h1>Headline</h1><span class='author'>{printed}</span><p>Text.</p></article>") == (
        want,)

def test_companies_sites_and_placeholders_are_not_authors() -> None:
    assert authors_of("<meta name='author' content='wegewerk GmbH'>") == ()
    assert authors_of("<meta name='author' content='Besserwisser eG'>") == ()  # a cooperative (eingetragene G.)
    for credit in ("Foto: Jane Doe", "Фото из Инстаграма Лукаша Подольски", "zVg"):  # picture credits
        assert authors_of("", f"<article><h1>H</h1><span class='author'>{credit}</span><p>Text.</p></article>") == ()
    assert authors_of("<meta name='author' content='Photios Kanellis'>") == ("Photios Kanellis",)
    assert authors_of("<meta name='author' content='Greg Egan'>") == ("Greg Egan",)
    assert authors_of("<meta name='author' content='admin'>") == ()
    site = "<meta property='og:site_name' content='Tour Magazin'>"
    assert authors_of(site + "<meta name='author' content='TOUR Magazin'>") == ()
    assert authors_of("<meta name='author' content='Dieter Sieckmeyer'>") == ("Dieter Sieckmeyer",)  # 'Di…' is no 'di '



BYLINE_LINK = "<article><h1>Headline</h1><p class='byline'>By <a rel='author' href='/a/jd'>Jane Doe</a></p></article>"


@pytest.mark.parametrize("declared", [
    "<meta name='twitter:creator' content='@janedoe'>",  # a handle
    "<meta property='article:author' content='https://www.facebook.com/janedoe'>",  # an address
    "<meta name='author' content='admin'>",  # a placeholder
])
def test_a_declared_author_that_names_no_one_gives_way_to_the_printed_byline(declared: str) -> None:
    assert authors_of(declared, BYLINE_LINK) == ("Jane Doe",)


@pytest.mark.parametrize(("site", "author"), [
    ("Infoportal - Diakonie Deutschland", "Diakonie Deutschland"),  # a part of the site's name
    ("Fischerhütte | hejfish.com", "hejfish"),  # its domain without the top-level label
    ("www.freiheit.org", "Freiheit Org"),  # its domain without 'www.'
])
def test_the_site_named_as_author_in_another_form_signs_the_story(site: str, author: str) -> None:
    def head(name: str) -> str:
        return f"<meta property='og:site_name' content='{site}'><meta name='author' content='{name}'>"

    assert authors_of(head(author)) == ()
    assert authors_of(head("Eva Berg")) == ("Eva Berg",)  # a person who writes for it is an author

def test_the_owner_of_a_personal_site_is_its_author() -> None:
    def graph(publisher_type: str) -> str:
        return ('<script type="application/ld+json">{"@graph": [{"@type": "WebSite", "name": "rete-mirabile.net"},'
                ' {"@type": "BlogPosting", "headline": "H", "author": {"@id": "#me"}, "publisher": {"@id": "#me"}},'
                f' {{"@type": {publisher_type}, "@id": "#me", "name": "Andreas Kalt"}}]}}</script>')

    assert authors_of(graph('["Person", "Organization"]')) == ("Andreas Kalt",)
    assert authors_of(graph('"Organization"')) == ()  # a company named as author: the site signs the story

@pytest.mark.parametrize("declared", [
    "<meta property='og:site_name' content='Tour Magazin'><meta name='author' content='TOUR Magazin'>",
    "<meta name='author' content='Bundesverband WindEnergie e.V.'>",
    "<meta name='author' content='www.example.com'>",
])
def test_a_story_the_site_signs_has_no_author_even_over_a_printed_name(declared: str) -> None:
    # the site or a company named as author signs the story itself: a name printed elsewhere is not asked
    assert authors_of(declared, BYLINE_LINK) == ()

@pytest.mark.parametrize(
    ("declared", "want"),
    [("By Jane Doe", ("Jane Doe",)), ("Von Hans Müller und Eva Berg", ("Hans Müller", "Eva Berg")),
     ("Par Jean Dupont", ("Jean Dupont",)), ("di Mario Rossi", ("Mario Rossi",)),
     ("Door Jan de Vries", ("Jan de Vries",)), ("Av Anna Svensson", ("Anna Svensson",)),
     ("Autorin: Eva Berg", ("Eva Berg",)), ("Ein Beitrag von Eva Berg", ("Eva Berg",)),
     ("Von: Eva Berg", ("Eva Berg",)),
     ("Par Jean Dupont et Marie Curie", ("Jean Dupont", "Marie Curie")),
     ("Por Juan Pérez y María López", ("Juan Pérez", "María López")),
     ("José Ortega y Gasset", ("José Ortega y Gasset",)),
     ("Anna Svensson och Per Olsson", ("Anna Svensson", "Per Olsson")), ("Sandra Andersen", ("Sandra Andersen",)),
     # names that begin like a byline word are whole names
     ("Avery Brooks", ("Avery Brooks",)), ("Paris Hilton", ("Paris Hilton",)), ("Doorn Smit", ("Doorn Smit",))],
)
def test_an_author_loses_the_words_that_open_a_byline(declared: str, want: tuple[str, ...]) -> None:
    assert authors_of(f"<meta name='author' content='{declared}'>") == want



@pytest.mark.parametrize(("declared", "want"), [
    ("Perry Bacon Jr.", "Perry Bacon Jr."), ("Nicolas Gutierrez C.", "Nicolas Gutierrez C."),
    ("Jane Doe.", "Jane Doe"), ("Autor: Jane Doe:", "Jane Doe"),
])
def test_an_author_keeps_the_full_stop_of_an_initial_or_abbreviation(declared: str, want: str) -> None:
    assert authors_of(f"<meta name='author' content='{declared}'>") == (want,)

STORY_HTML = "".join(f"<p>The council approved the new budget on Tuesday after a long debate about schools, hospitals"
                     f" and roads in part {i} of the region.</p>" for i in range(6))


def body_under(first: str, author: str) -> str:
    """The story text of a page whose first paragraph is `first`, the author declared in <meta>."""
    import hashlib

    from ingest.parse import parse
    from ingest.records import RawDocument, SourceInfo

    data = (f"<html><head><title>Budget approved</title><meta name='author' content='{author}'></head><body>"
            f"<article><h1>Budget approved</h1><p>{first}</p>{STORY_HTML}</article></body></html>").encode()
    source = SourceInfo("page.html", "html", hashlib.sha256(data).hexdigest(), len(data))
    return next(d for d in parse(data, source) if isinstance(d, RawDocument)).body


@pytest.mark.parametrize("first", ["By Mario Rossi and Sam Roe, Reuters", "Von Mario Rossi | dpa", "di Mario Rossi",
                                   "By Staff Reporter Mario Rossi", "By Mario Rossi, staff writer",
                                   "Von Mario Rossi, Korrespondent in Rom",
                                   "Door Mario Rossi", "Av Mario Rossi", "Author: Mario Rossi"])
def test_a_leading_byline_paragraph_is_not_story_text(first: str) -> None:
    assert body_under(first, "Mario Rossi").startswith("The council approved")


@pytest.mark.parametrize("first", ["Di Mario Rossi si parla molto in città.", "Door Mario Rossi werd het plan bedacht.",
                                   "By Mario Rossi's count, the vote was close.", "Di recente il governo ha deciso."])
def test_a_sentence_opening_with_a_byline_word_is_story_text(first: str) -> None:
    assert body_under(first, "Mario Rossi").startswith(first)


def parsed(first: str, head: str) -> tuple[tuple[str, ...], str]:
    """The authors and the story text of a page whose first paragraph is `first`."""
    import hashlib

    from ingest.parse import parse
    from ingest.records import RawDocument, SourceInfo

    data = (f"<html><head><title>Budget approved</title>{head}</head><body>"
            f"<article><h1>Budget approved</h1><p>{first}</p>{STORY_HTML}</article></body></html>").encode()
    source = SourceInfo("page.html", "html", hashlib.sha256(data).hexdigest(), len(data))
    doc = next(d for d in parse(data, source) if isinstance(d, RawDocument))
    return doc.authors, doc.body


@pytest.mark.parametrize("head", ["", "<meta name='author' content='Bund der Energieverbraucher e.V.'>"])
def test_a_byline_line_in_the_story_names_the_authors_the_fields_do_not(head: str) -> None:
    authors, body = parsed("Von Volkmar Kabisch, Jan Lukas Strozyk und Benedikt Strunz", head)
    assert authors == ("Volkmar Kabisch", "Jan Lukas Strozyk", "Benedikt Strunz")
    assert body.startswith("The council approved")


@pytest.mark.parametrize("first", ["Von Risiken und Nebenwirkungen", "Von der Redaktion", "Von Montag an gilt"])
def test_a_heading_opening_with_a_byline_word_names_no_author(first: str) -> None:
    assert parsed(first, "")[0] == ()


def test_a_byline_element_that_is_a_byline_line_names_the_author_the_site_signed() -> None:
    site = "<meta property='og:site_name' content='LAOLA1.at'><meta name='author' content='LAOLA1.at'>"
    line = "<article><h1>H</h1><span itemprop='author'>von Alexander Karper</span><p>Text.</p></article>"
    assert authors_of(site, line) == ("Alexander Karper",)
    # a bare name in a byline element does not outweigh the site's own signature
    assert authors_of(site, line.replace("von Alexander", "Alexander")) == ()
