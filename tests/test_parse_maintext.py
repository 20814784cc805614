"""Main text: phrase-present / phrase-absent checks on a written fixture, and the paragraph checks alone."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from factories import raw_documents

from ingest.parse.html.maintext import _drop_cards_in_text
from ingest.parse.html.paragraphs import repair as repair_tree
from ingest.parse.html.safe import parse_page
from ingest.parse.html.safe import repair_tree as repair_view


def repair(html: str, paragraphs: list[str]) -> list[str]:
    """The paragraph repair over the page's tree, as the reader gives it (one parse, a copy of its own)."""
    return repair_tree(repair_view(parse_page(html), html), paragraphs)

FIXTURE = Path(__file__).resolve().parent / "fixtures" / "html" / "maintext_boilerplate.html"


def body_of(path: Path) -> str:
    docs = raw_documents(path.read_bytes(), path.name)
    assert len(docs) == 1
    return docs[0].body


@pytest.mark.parametrize("phrase", [
    "The harbour bridge reopened to traffic on Monday",  # the standfirst, before the story paragraphs
    "Engineers worked through the night",
    "takings had fallen by almost half",
    "review its inspection schedule",
    "paid from the road maintenance budget",
])
def test_story_text_is_kept(phrase: str) -> None:
    assert phrase in body_of(FIXTURE)


@pytest.mark.parametrize("phrase", [
    "Read more:",  # a "read more" lead-in
    "Ferry timetable changes",  # a headline-like link to another story
    "Sign up for our morning briefing",  # newsletter prompt
    "has covered transport and city infrastructure",  # author box
    "All rights reserved",
])
def test_boilerplate_is_dropped(phrase: str) -> None:
    assert phrase not in body_of(FIXTURE)


def test_standfirst_comes_first() -> None:
    assert body_of(FIXTURE).startswith("The harbour bridge reopened")


@pytest.mark.parametrize("html", ["", "   ", "<html>", "\x00\x01 not html", "<p>Just one paragraph here.</p>"])
def test_repair_never_crashes_on_bad_pages(html: str) -> None:
    paragraphs = ["Just one paragraph here."]
    assert repair(html, paragraphs)[-1] == "Just one paragraph here."


def test_repair_keeps_unmatched_paragraphs() -> None:
    html = "<html><body><div class='comments'><p>Unrelated.</p></div><p>Some story text.</p></body></html>"
    assert repair(html, ["A paragraph that is not in the page."]) == ["A paragraph that is not in the page."]


STORY = "<p>" + "The council met on Tuesday and agreed the budget after a long debate. " * 4 + "</p>"


def _repaired(extra: str, line: str) -> list[str]:
    html = f"<html><body><article>{STORY}{extra}</article></body></html>"
    story = STORY[3:-4].strip()
    return repair(html, [story, line])


def test_link_to_another_story_is_dropped() -> None:
    line = "Ferry timetable changes announced for winter"
    assert _repaired(f"<p><a href='/news/ferry-timetable'>{line}</a></p>", line)[-1] != line


@pytest.mark.parametrize("extra", [
    "<h2><a href='/news/this-story'>Ferry timetable changes announced for winter</a></h2>",  # a linked heading
    "<ol><li><a href='#ferry'>Ferry timetable changes announced for winter</a></li></ol><h2 id='ferry'>x</h2>",
    "<p><a name='ferry'>Ferry timetable changes announced for winter</a></p>",  # a named anchor, not a link
])
def test_own_links_are_kept(extra: str) -> None:
    line = "Ferry timetable changes announced for winter"
    assert _repaired(extra, line)[-1] == line


@pytest.mark.parametrize("line", ["Foto: Jane Doe/dpa", "Photo credit: Jane Doe", "© Jane Doe", "Kategorie: News"])
def test_credit_and_label_lines_are_dropped(line: str) -> None:
    assert _repaired(f"<p>{line}</p>", line)[-1] != line


def test_standfirst_after_the_headline_and_not_a_photo_caption() -> None:
    html = (
        "<html><body><article><div class='intro'><div class='img_description'>The bridge at dusk. © City Press</div>"
        "<div class='chapo'>The harbour bridge reopened on Monday after six weeks of repairs to its deck.</div></div>"
        f"<h1>Bridge reopens</h1>{STORY}</article></body></html>"
    )
    story = STORY[3:-4].strip()
    assert repair(html, ["Bridge reopens", story]) == [
        "The harbour bridge reopened on Monday after six weeks of repairs to its deck.", "Bridge reopens", story]


def test_standfirst_before_a_story_split_at_line_breaks() -> None:
    parts = ["The council met on Tuesday and agreed the budget after a long debate.",
             "Spending on roads rises by a tenth, and the library opens on Sundays again."]
    html = (
        "<html><body><article><p class='lead'>The town's budget for next year passed after a long night.</p>"
        f"<div class='text'>{parts[0]}<br><br>{parts[1]}</div></article></body></html>"
    )
    assert repair(html, parts) == ["The town's budget for next year passed after a long night.", *parts]


def test_invisible_characters_do_not_hide_a_paragraph_from_its_element() -> None:
    line = "Ferry timetable changes announced for winter"
    link = "<p><a href='/news/ferry-timetable'>Ferry\u200c timetable changes announced for\u00ad winter</a></p>"
    assert _repaired(link, line)[-1] != line


CARD = "<li><div class='card'><h3><a href='/news/ferry'>Ferry timetable changes</a></h3>\n{blurb}</div></li>"


def test_teaser_card_is_dropped() -> None:
    line = "Ferry timetable changes Winter sailings drop to two a day"
    html = CARD.format(blurb="<h4>Winter sailings drop to two a day</h4>")
    assert _repaired(f"<ul>{html}</ul>", line)[-1] != line


def test_section_with_its_own_heading_is_kept() -> None:
    line = "Ferry timetable changes Winter sailings drop to two a day"
    html = "<div><h3>Ferry timetable changes</h3> Winter sailings drop to two a day</div>"
    assert _repaired(html, line)[-1] == line


def _page_with_article_body(article_body: str) -> str:
    ld = json.dumps({"@context": "https://schema.org", "@type": "NewsArticle", "headline": "Bridge reopens",
                     "articleBody": article_body})
    return (f"<html><head><script type='application/ld+json'>{ld}</script></head><body><article>"
            f"<h1>Bridge reopens</h1>{STORY}</article></body></html>")


SAID = STORY[3:-4].strip()


@pytest.mark.parametrize("article_body", [
    f"&lt;p&gt;{SAID}&lt;/p&gt;",  # escaped markup
    f"{SAID} &lt;div align=&quot;center&quot;&gt;&lt;img src=&quot;/a.jpg&quot;&gt;&lt;/div&gt;",
])
def test_escaped_markup_in_article_body_is_not_story_text(tmp_path: Path, article_body: str) -> None:
    page = tmp_path / "page.html"
    page.write_text(_page_with_article_body(article_body), "utf-8")
    body = body_of(page)
    assert "&lt;" not in body and "<" not in body
    assert "The council met on Tuesday" in body


def test_entities_in_article_body_are_decoded(tmp_path: Path) -> None:
    page = tmp_path / "page.html"
    page.write_text(_page_with_article_body(f"{SAID} The B&amp;H depot&apos;s roof was mended."), "utf-8")
    assert "The B&H depot's roof was mended." in body_of(page)


@pytest.mark.parametrize("line", ["Comments", "3 comments"])
def test_title_of_a_script_filled_comment_section_is_dropped(line: str) -> None:
    extra = "<h3>Comments</h3><p><span class='count'>3</span> comments</p><div class='fb-comments'></div>"
    assert _repaired(extra, line)[-1] != line


def test_short_story_line_before_more_story_is_kept() -> None:
    line = "That was the last word."
    extra = f"<p>{line}</p>{STORY}<div class='fb-comments'></div>"
    assert _repaired(extra, line)[-1] == line


def test_newsletter_prompt_in_the_story_is_dropped() -> None:
    line = "Get the week's council news in your inbox: sign up for our free newsletter."
    assert _repaired(f"<p>{line}</p>", line)[-1] != line


def test_story_line_about_a_newsletter_is_kept() -> None:
    line = "The council's newsletter goes out to every household each month."
    assert _repaired(f"<p>{line}</p>", line)[-1] == line


@pytest.mark.parametrize("line", [
    "Advertisement",
    "Anzeige",
    "Publicité",
    "Advertisement - Scroll to continue",
    "Anzeige, enthält Affiliate Links",
    "Subscribe now for unlimited access to our journalism for just $1 a week.",
    "Folgen Sie uns auf Twitter",
    "¿Te gustó la nota? Síguenos en Telegram, Instagram y Facebook",
    "Abonnez-vous à notre lettre pour recevoir l'essentiel de l'actualité.",
    "Support our journalism: become a member today.",
    "Gefällt dir unser Magazin? Wir verzichten auf eine Bezahlschranke.",
    "If you enjoyed reading this post, would you consider supporting our work?",
    "Have a news tip? Email us.",
    "Du musst eingeloggt sein, um Kommentare zu schreiben!",
    "Leave a Reply",
    "Hier geht es zur Übersicht aller Termine",
    "Weitere aktuelle Themen aus der Region",
    "Titelbild: Jane Roe",
])
def test_line_the_site_addresses_to_its_reader_is_dropped(line: str) -> None:
    assert _repaired(f"<p>{line}</p>", line)[-1] != line


@pytest.mark.parametrize("line", [
    "Advertisement spending by the council rose by a tenth, the report said.",  # a label opening a sentence
    "Subscribers to the bus pass scheme will pay less from January.",
    "Werbung: Die Agentur gewann den Auftrag der Stadt gegen drei Mitbewerber, sagte der Sprecher am Montag.",
    "She said the club would follow up on every complaint.",
    "Subscribe-and-save plans grew fastest, the retailer said.",
    "Advertising: revenue fell 3 percent to $1.2 billion.",
])
def test_story_line_that_merely_opens_like_a_prompt_is_kept(line: str) -> None:
    assert _repaired(f"<p>{line}</p>", line)[-1] == line


def _page_with_lead(lead: str) -> str:
    ld = json.dumps({"@context": "https://schema.org", "@type": "NewsArticle", "headline": "Budget passes",
                     "articleBody": f"{SAID} Spending on roads rises by a tenth next year."})
    return (f"<html><head><script type='application/ld+json'>{ld}</script></head><body><article>"
            f"<h1>Budget passes</h1><p class='intro'>{lead}</p>{STORY}</article></body></html>")


def test_standfirst_left_out_of_article_body_is_put_in_front(tmp_path: Path) -> None:
    lead = "After six hours of debate the town has a budget, and the library will open on Sundays again."
    page = tmp_path / "page.html"
    page.write_text(_page_with_lead(lead), "utf-8")
    body = body_of(page)
    assert body.startswith(lead) and "Spending on roads rises by a tenth" in body


def test_kicker_left_out_of_article_body_stays_out(tmp_path: Path) -> None:
    page = tmp_path / "page.html"
    page.write_text(_page_with_lead("Town hall: a long night"), "utf-8")
    assert body_of(page).startswith("The council met on Tuesday")


@pytest.mark.parametrize("line", ["Jane Doe contributed to this report.", "(Reporting by Jane Doe; Editing by Sam Roe)",
                                  "Additional reporting by Jane Doe"])
def test_reporting_credit_line_is_dropped(line: str) -> None:
    assert _repaired(f"<p>{line}</p>", line)[-1] != line


def test_story_line_about_contributions_is_kept() -> None:
    line = "Residents contributed to this year's repair fund, the council said."
    assert _repaired(f"<p>{line}</p>", line)[-1] == line


def test_repair_never_drops_most_of_the_story() -> None:
    # a feed page: each story sits in a "share" wrapper, none holds a third of the text on its own
    stories = [f"Story {i} opened with news about the council budget and the schools it pays for in town." * 2
               for i in range(4)]
    html = "<html><body>" + "".join(
        f"<article><div class='share-wrapper'><p>{s}</p></div></article>" for s in stories) + "</body></html>"
    assert repair(html, stories) == stories
    # one share box beside a story is still dropped
    box = "Share this story with your friends on every network you use today."
    page = f"<html><body><article><p>{stories[0]}</p><p>{stories[1]}</p></article><div class='share'><p>{box}</p>" \
           "</div></body></html>"
    assert repair(page, [stories[0], stories[1], box]) == [stories[0], stories[1]]


@pytest.mark.parametrize("marked", ["", ' class="article-teaser"', ' class="lead"', ' class="description"'])
def test_a_lead_that_repeats_the_page_description_stays_the_first_paragraph(marked: str) -> None:
    """A description is the lead repeated for search engines and previews: the lead stays in the body."""
    lead = "The city council voted on Tuesday to close the old harbour bridge for repairs lasting two years."
    more = "".join(f"<p>Paragraph {i} goes on about the bridge, the council and the traffic plans for the city.</p>"
                   for i in range(6))
    html = (f'<html><head><title>Bridge to close</title><meta name="description" content="{lead}">'
            f'<meta property="og:description" content="{lead}"><script type="application/ld+json">'
            f'{{"@type": "NewsArticle", "headline": "Bridge to close", "description": "{lead}"}}</script></head>'
            f"<body><article><h1>Bridge to close</h1><p{marked}>{lead}</p>{more}</article></body></html>")
    body = raw_documents(html)[0].body
    assert body.split("\n\n")[0] == lead


def test_a_hover_card_inside_a_paragraph_is_dropped_and_its_name_stays() -> None:
    """A name's rollover (picture, the name again, its latest headlines) sits inside the sentence in the
    HTML; the reader sees the sentence."""
    body = body_of(FIXTURE.parent / "hover_card_in_text.html")
    assert body.startswith("The harbour board approved a new ferry terminal on Tuesday after councillor Maria "
                           "Lindqvist withdrew her objection, the port authority said.\n\n"), body[:300]
    assert "MORE" not in body and "bus lane" not in body


def test_nested_cards_drop_the_innermost_every_time() -> None:
    """The outer card keeps its name link whatever order the cards are met in (it once hung on a set's
    order, which changes with memory addresses, so the same page gave two bodies)."""
    html = (FIXTURE.parent / "hover_card_in_text.html").read_text("utf-8")
    kept = []
    for _ in range(50):
        tree = parse_page(html)
        _drop_cards_in_text(tree)
        kept.append(tree.xpath("string(//p[1])"))
    assert all("councillor Maria Lindqvist withdrew" in " ".join(text.split()) for text in kept), set(kept)


def test_links_and_a_picture_inside_prose_stay_when_the_prose_is_not_links() -> None:
    html = ("<html><head><title>Ferry</title></head><body><article><h1>Ferry</h1>"
            "<p><span>The new ferry <img src='f.jpg' alt=''> sails from <a href='/a'>Dover</a> and "
            "<a href='/b'>Calais</a> twice a day from May, the operator said on Monday in a statement.</span></p>"
            "<p>Tickets go on sale next week at prices the operator says will match the current service "
            "on the route, which has run for forty years without a break.</p></article></body></html>")
    docs = raw_documents(html.encode(), "ferry.html")
    assert "sails from Dover and Calais twice a day" in docs[0].body


CAPTION = "Workers lift the new deck section into place on the harbour bridge."
FIGURE = f"<figure><img src='/deck.jpg' alt=''><figcaption><p>{CAPTION}</p><p>© City Press</p></figcaption></figure>"


@pytest.mark.parametrize("extra", [
    FIGURE,
    f"<div class='overlay'><p>{CAPTION}</p></div>{FIGURE}",  # printed twice: first outside the <figcaption>
])
def test_picture_caption_is_dropped(extra: str) -> None:
    assert _repaired(extra, CAPTION)[-1] != CAPTION


def test_story_paragraph_inside_a_figure_without_caption_is_kept() -> None:
    line = "Workers lifted the new deck section into place on Sunday, a day ahead of plan."
    assert _repaired(f"<figure><blockquote><p>{line}</p></blockquote></figure>", line)[-1] == line


def test_caption_in_article_body_is_left_out(tmp_path: Path) -> None:
    """Feeds built from the whole post put the captions into articleBody; the page shows what they are."""
    page = tmp_path / "page.html"
    ld = json.dumps({"@context": "https://schema.org", "@type": "NewsArticle", "headline": "Bridge reopens",
                     "articleBody": f"{SAID}\n\n{CAPTION}\n\nSpending on roads rises by a tenth next year."})
    page.write_text(f"<html><head><script type='application/ld+json'>{ld}</script></head><body><article>"
                    f"<h1>Bridge reopens</h1>{STORY}{FIGURE}<p>Spending on roads rises by a tenth next year.</p>"
                    "</article></body></html>", "utf-8")
    body = body_of(page)
    assert "Spending on roads rises" in body and "The council met" in body
    assert CAPTION not in body


READER_PROMPTS = FIXTURE.parent / "reader_prompts.html"


def test_reader_prompts_between_story_paragraphs_leave_the_story_whole() -> None:
    body = body_of(READER_PROMPTS)
    assert "Drei neue Buslinien sollen im Osten der Stadt fahren." in body
    assert "Eine Abstimmung über die Steuer folgt im nächsten Monat." in body
    assert "Anzeige" not in body.split("\n\n")
    assert "Folgen Sie uns" not in body and "Gefällt dir" not in body
