"""Tokenised text (tokens joined by spaces, as NLP corpora and some feeds carry it) is read as printed, and
printed text of any language is left alone."""

from __future__ import annotations

import pytest
from test_parse_text import read

from ingest.parse.tokenised import is_tokenised, untokenised


@pytest.mark.parametrize(("tokens", "printed"), [
    ("Japan 's coach , Shu Kamo , said : \" We were lucky . \"",
     "Japan's coach, Shu Kamo, said: \"We were lucky.\""),
    ("Bochum 2 ( Stickroth 30th pen , Wosz 89th ) Bayer Leverkusen 2 .",
     "Bochum 2 (Stickroth 30th pen, Wosz 89th) Bayer Leverkusen 2."),
    ("They do n't expect rates above 5 % , the players ' union said , and left .",
     "They don't expect rates above 5%, the players' union said, and left."),
    ("Freight was $ 5.25 a tonne , up from $ 4.80 , brokers said .",
     "Freight was $5.25 a tonne, up from $4.80, brokers said."),
])
def test_tokens_are_joined_as_printed(tokens: str, printed: str) -> None:
    assert untokenised(tokens) == printed


def test_a_quote_over_a_line_break_is_left_as_it_stands() -> None:
    text = "Rates rose , dealers said .\n\" The banks are ready , \" said one . \"\nThey expect more . \""
    assert untokenised(text).split("\n") == [
        "Rates rose, dealers said.", "\" The banks are ready, \" said one. \"", "They expect more. \""]


@pytest.mark.parametrize("text", [
    "The council met on Tuesday. It approved the budget, the roads plan and the schools plan.",
    # French spaces its colons and its question marks, never its commas or full stops
    "Le ministre a déclaré : « Nous verrons. » Pourquoi ? Parce que le budget, dit-il, est serré.",
    # a list's numbers and figures are printed the same either way
    "Results:\n1. Ida Holm (Norway) 1:32.40\n2. Sara Dahl (Sweden) 1:32.61\n3. Anna Berger (Austria) 1:32.95",
    # a stray spaced comma or two in printed copy
    "Prices rose , traders said. The index closed higher, at 4,210. Bonds fell, and the dollar held steady.",
])
def test_printed_text_is_left_alone(text: str) -> None:
    assert not is_tokenised(text)
    assert untokenised(text) == text


def test_the_text_reader_reads_a_tokenised_wire_story() -> None:
    article = read(
        "SKIING - HOLM TAKES DOWNHILL AS FOG LIFTS .\n\nMaria Lindqvist\nKVITFJELL , Norway 2024-03-02\n"
        "Norway 's Ida Holm won Saturday 's World Cup downhill by 0.21 seconds after fog had delayed the start "
        "for two hours .\nThe next race is in Lillehammer on March 9 .\n")
    assert article.title == "SKIING - HOLM TAKES DOWNHILL AS FOG LIFTS."
    assert article.dateline == "Kvitfjell, Norway"
    assert article.authors == ("Maria Lindqvist",)
    assert article.published_at is not None and article.published_at.date().isoformat() == "2024-03-02"
    assert article.body.startswith("Norway's Ida Holm won Saturday's World Cup downhill")
    assert "Maria Lindqvist" not in article.body
