"""A body opens with the story: not a picture credit (alone or glued to the first word), not a kicker
label; and the <h1> is the title when a <title> part is nearly it (another encoding)."""

from __future__ import annotations

import pytest
from factories import raw_document

from ingest.parse.html import _without_heading

LEAD = "The minister set out a plan on Monday to upgrade four regional rail lines over the next decade."
MORE = "Work on the first line is expected to begin next year after a public consultation, the ministry said."


@pytest.mark.parametrize("opening", [
    "Jane Roe/REUTERS", "Photo: Jane Roe / AFP via Getty Images", "Illustration: Sam Lee", "Market Insider",
])
def test_an_opening_that_is_not_the_story_is_trimmed(opening: str) -> None:
    assert _without_heading(f"{opening}\n\n{LEAD}\n\n{MORE}", "Rail plan", ()) == f"{LEAD}\n\n{MORE}"


def test_a_credit_glued_to_the_first_word_is_cut_off() -> None:
    assert _without_heading(f"Jane Roe/REUTERS{LEAD}\n\n{MORE}", "Rail plan", ()) == f"{LEAD}\n\n{MORE}"


@pytest.mark.parametrize("opening", [
    "BAAR, SWITZERLAND",  # a dateline
    "2021-10-16 | Botschaft",  # the page's date line
    "Naturkosmetik –",  # a heading cut in two
    "Brexit/EU relations are strained.",  # a sentence with a slash
    "Rail plan",  # the headline's own words
])
def test_story_openings_stay(opening: str) -> None:
    body = f"{opening}\n\n{LEAD}\n\n{MORE}"
    assert _without_heading(body, "Rail plan", ()) == (body if opening != "Rail plan" else f"{LEAD}\n\n{MORE}")


def test_one_label_at_most() -> None:
    body = "Recently Played\n\nDj Regard\n\nRide It\n\n" + LEAD
    assert _without_heading(body, "Music", ()) == "Dj Regard\n\nRide It\n\n" + LEAD


def test_the_h1_is_the_title_when_a_title_part_is_nearly_it() -> None:
    page = ("<html><head><title>PaiNs Blog : Silkroad Roc Mountain Quests und NPCÂ´s</title></head><body>"
            f"<h1>Silkroad Roc Mountain Quests und NPC’s</h1><p>{LEAD} {MORE}</p></body></html>").encode()
    doc = raw_document(page, "page.html", fmt="html")
    assert doc.title == "Silkroad Roc Mountain Quests und NPC’s"


@pytest.mark.parametrize(("opening", "expected"), [
    (f"(CNN){LEAD}", f"(CNN) {LEAD}"),
    (f"Hong Kong (CNN Business){LEAD}", f"Hong Kong (CNN Business) {LEAD}"),
    ("(CNN)A muddled view of trade talks weighs on markets.", "(CNN) A muddled view of trade talks weighs on markets."),
    (f"(CNN) {LEAD}", f"(CNN) {LEAD}"),  # spaced already
    (f"The plan (a draft) {LEAD}", f"The plan (a draft) {LEAD}"),
])
def test_a_dateline_run_into_the_first_word_gets_its_space_back(opening: str, expected: str) -> None:
    assert _without_heading(f"{opening}\n\n{MORE}", "Rail plan", ()) == f"{expected}\n\n{MORE}"


BIO = "Jane Roe is the Herald's transport correspondent. She has covered rail and roads since 2015."


def test_the_authors_bio_box_over_the_story_is_dropped() -> None:
    assert _without_heading(f"{BIO}\n\n{LEAD}\n\n{MORE}", "Rail plan", ("Jane Roe",)) == f"{LEAD}\n\n{MORE}"


@pytest.mark.parametrize(("body", "authors"), [
    (f"{BIO}\n\n{LEAD}", ("Roe",)),  # one word is no full name: a surname opens many sentences
    (f"{BIO}\n\n{LEAD}", ("Sam Lee",)),  # not about this story's writer
    (BIO, ("Jane Roe",)),  # nothing follows: the paragraph is the text
    (f"Jane Roebuck, the mayor, opened the line.\n\n{LEAD}", ("Jane Roe",)),  # another name that starts alike
])
def test_a_story_that_opens_on_a_name_is_kept(body: str, authors: tuple[str, ...]) -> None:
    assert _without_heading(body, "Rail plan", authors) == body


def test_the_bio_box_is_dropped_from_a_page() -> None:
    html = ("<html><head><title>Rail plan</title><meta name='author' content='Jane Roe'></head><body><article>"
            f"<h1>Rail plan</h1><div class='writer'><p>{BIO}</p></div><p>{LEAD}</p><p>{MORE}</p>"
            "</article></body></html>")
    document = raw_document(html.encode(), "page.html")
    assert document.authors == ("Jane Roe",)
    assert document.body == f"{LEAD}\n\n{MORE}"
