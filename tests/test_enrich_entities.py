"""Entities: the mission seed, canonical countries, acronyms, merges, junk, all-caps headlines.

Loads the real spaCy model once per module; no Elasticsearch needed.
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from factories import article as make_article
from factories import parsed_article

from ingest.enrich import Enricher, EnrichOptions
from ingest.enrich.entities import Candidate
from ingest.enrich.gazetteer import gazetteer
from ingest.enrich.merge import merge_people
from ingest.records import Article, Entities, EntityType

SEED = Path(__file__).resolve().parents[1] / "seeds" / "000_c4ea0415e5f2f1cc.txt"


@pytest.fixture(scope="module")
def enricher() -> Enricher:
    return Enricher(EnrichOptions())


@pytest.fixture(scope="module")
def seed(enricher: Enricher) -> Article:
    return enricher.enrich(parsed_article(SEED.read_bytes(), SEED.name))


def article(body: str, title: str | None = None, published: datetime | None = None) -> Article:
    return make_article(body, title=title, published_at=published)


def test_seed_entities(seed: Article) -> None:
    ents = seed.entities
    assert "Jaish-e-Mohammed" in ents.organization
    for place in ("Pakistan", "India", "United States", "Washington", "Balakot", "Jammu and Kashmir"):
        assert place in ents.location, place
    assert "Pompeo" in ents.person
    names = {n for names in (ents.person, ents.organization, ents.location, ents.misc) for n in names}
    for junk in ("IST", "Post Balakot", "US", "Pak", "JeM", "Jaish-e-Mohammed's"):
        assert junk not in names, junk
    assert len(ents.location) == len(set(ents.location))


def test_seed_mentions_link_to_canonical_names(seed: Article) -> None:
    by_text = {(m.field, m.text): m for m in seed.entity_mentions}
    assert by_text[("body", "JeM")].canonical == "Jaish-e-Mohammed"
    assert by_text[("body", "JeM")].type == "organization"
    assert by_text[("title", "Pak")].canonical == "Pakistan"
    assert by_text[("title", "US")].canonical == "United States"
    for m in seed.entity_mentions:
        text = seed.title if m.field == "title" else seed.body
        assert text is not None and text[m.start : m.end] == m.text


def test_seed_dates_and_language(seed: Article) -> None:
    dates = {d.text: (d.gte, d.lt, d.granularity) for d in seed.dates_mentioned}
    assert dates["February 14"] == ("2019-02-14", "2019-02-15", "day")
    assert dates["Friday"] == ("2019-03-15", "2019-03-16", "day")
    assert dates["January 2018"] == ("2018-01-01", "2018-02-01", "month")
    for noise in ("now", "Now", "We", "and we", "time and again", "Recently", "the day"):
        assert noise not in dates
    assert seed.language == "en"


def test_canonical_country_names(enricher: Enricher) -> None:
    body = (
        "U.S. officials met envoys from Britain in Geneva. America and the UK said Pakistani "
        "diplomats would travel to the United States."
    )
    out = enricher.enrich(article(body))
    assert "United States" in out.entities.location
    assert "United Kingdom" in out.entities.location
    assert not {"U.S.", "America", "UK", "Britain"} & set(out.entities.location)
    assert "Pakistani" in out.entities.misc and "Pakistani" not in out.entities.location


def test_acronym_linked_to_long_form(enricher: Enricher) -> None:
    body = (
        "The Central Reserve Police Force said on Monday that ten new battalions would be raised. "
        "A CRPF spokesman said recruitment starts soon."
    )
    out = enricher.enrich(article(body))
    crpf = [m for m in out.entity_mentions if m.text == "CRPF"]
    assert crpf and crpf[0].canonical == "Central Reserve Police Force"
    assert out.entities.organization.count("Central Reserve Police Force") == 1
    assert "CRPF" not in out.entities.organization


def test_partial_person_names_merge(enricher: Enricher) -> None:
    body = (
        "Secretary of State Mike Pompeo met the delegation in Washington on Tuesday. "
        "Pompeo later told reporters that the talks had been useful."
    )
    out = enricher.enrich(article(body))
    assert "Mike Pompeo" in out.entities.person
    assert "Pompeo" not in out.entities.person
    assert {m.canonical for m in out.entity_mentions if "Pompeo" in m.text} == {"Mike Pompeo"}


def test_junk_is_filtered(enricher: Enricher) -> None:
    body = (
        "The ceasefire took effect at 10:00 IST on Sunday. Post Kargil, the army changed its doctrine. "
        "We met 25 delegates in Delhi."
    )
    out = enricher.enrich(article(body))
    names = {m.text for m in out.entity_mentions}
    assert not names & {"IST", "Post Kargil", "We", "25", "Sunday"}


def test_all_caps_headline(enricher: Enricher) -> None:
    title = "JAPAN BEAT SYRIA AS CHINA SUFFER SURPRISE DEFEAT"
    body = (
        "Japan began the defence of their title with a lucky win against Syria on Friday. "
        "But China saw their luck desert them in a surprise defeat by Uzbekistan."
    )
    out = enricher.enrich(article(body, title))
    title_mentions = {(m.text, m.type, m.canonical) for m in out.entity_mentions if m.field == "title"}
    assert ("JAPAN", "location", "Japan") in title_mentions
    assert ("CHINA", "location", "China") in title_mentions
    names = {n for names in (out.entities.person, out.entities.organization) for n in names}
    assert not any("Surprise" in n or "SURPRISE" in n for n in names)
    assert "Japan" in out.entities.location and "JAPAN" not in out.entities.location


def test_enrich_many_keeps_order_and_declared_language(enricher: Enricher) -> None:
    published = datetime(2019, 3, 16, tzinfo=timezone(timedelta(hours=5, minutes=30)))
    articles = [article(f"Talks in Paris number {i} ended on Friday.", published=published) for i in range(40)]
    articles[3] = articles[3].replace(language="fr")
    out = list(enricher.enrich_many(articles))
    assert [a.body for a in out] == [a.body for a in articles]
    assert out[3].language == "fr" and out[0].language == "en"
    assert out[5].dates_mentioned[0].gte == "2019-03-15"


def test_sports_tables_make_teams_organizations(enricher: Enricher) -> None:
    body = (
        "Results of English league matches on Saturday, with goals scored by the home side first:\n"
        "Arsenal 2 Derby 2\nLeicester 1 Blackburn 1\n"
        "Standings (tabulate under played, won, drawn, lost, goals for, against, points):\n"
        "Leicester 18 10 4 4 28 15 34\nBlackburn 18 9 3 6 29 22 30\n"
        "Defenders - Dan Petrescu, Daniel Prodan.\n"
        "1. Katja Seizinger (Germany) 180 points"
    )
    out = enricher.enrich(article(body))
    for team in ("Leicester", "Blackburn", "Arsenal", "Derby"):
        assert team in out.entities.organization, team
        assert team not in out.entities.location, team
    for person in ("Dan Petrescu", "Daniel Prodan", "Katja Seizinger"):
        assert person in out.entities.person, person
    assert "Germany" in out.entities.location


def test_dotted_abbreviation_keeps_its_last_full_stop_in_a_results_line(enricher: Enricher) -> None:
    body = (
        "Results of the women's World Cup super G race on Saturday, with points in the standings:\n"
        "1. Katja Seizinger (Germany) 180 points\n2. Hilary Lindh (U.S.) 120 points\n"
        "3. Megan Gerety (U.S.) 100 points"
    )
    out = enricher.enrich(article(body))
    us = [m for m in out.entity_mentions if m.canonical == "United States"]
    assert len(us) == 2 and {m.text for m in us} == {"U.S."}


def test_shipping_tables_keep_ports_as_places(enricher: Enricher) -> None:
    body = (
        "Coal and ore fixtures reported on Friday:\n"
        "Dampier 150,000 tonnes 12/15 Kaohsiung $7.25\n"
        "Vancouver 60,000 tonnes 1/10 Rotterdam 9.50"
    )
    out = enricher.enrich(article(body))
    assert not set(out.entities.organization) & {"Dampier", "Kaohsiung", "Vancouver", "Rotterdam"}


def test_titles_are_cut_from_people(enricher: Enricher) -> None:
    out = enricher.enrich(article("Defender Hassan Abbas rose to intercept the ball before Budapest Bank said so."))
    assert "Hassan Abbas" in out.entities.person
    assert "Budapest Bank" in out.entities.organization


def test_articles_in_other_languages_get_no_english_entities(enricher: Enricher) -> None:
    """The English model never reads German: no organisations without a German model; people come from their
    given names (tests/test_people.py), places from the gazetteer and dates from the German rules
    (tests/test_languages.py)."""
    german = article(
        "Die Bundesregierung in Berlin hat am Freitag neue Regeln für den Wohnungsbau beschlossen. "
        "Bauministerin Klara Geywitz sagte, die Förderung werde im kommenden Jahr deutlich erhöht. "
        "Kritik kam von den Verbänden der Wohnungswirtschaft, die mehr Tempo bei Genehmigungen fordern."
    )
    out = enricher.enrich(german)
    assert out.language == "de"
    assert out.entities == Entities(person=("Klara Geywitz",), location=("Berlin",))
    assert [m.text for m in out.entity_mentions] == ["Berlin", "Klara Geywitz"]
    assert [d.text for d in out.dates_mentioned] == []  # "am Freitag" needs a publication date to resolve
    declared = enricher.enrich(article("Talks in Paris ended on Friday.").replace(language="en-GB"))
    assert "Paris" in declared.entities.location


def test_pipeline_drops_an_embedding_nothing_listens_to(enricher: Enricher) -> None:
    """NER in the small English models has its own embedding: the shared `tok2vec` fed only the excluded
    tagger and parser, so it is removed; loading the parser keeps it (the parser listens to it)."""
    from ingest.enrich import load_pipeline

    assert enricher.nlp.pipe_names == ["ner"]
    with_parser = load_pipeline(enricher.options.spacy_model, ("lemmatizer", "tagger", "attribute_ruler", "senter"))
    assert with_parser.pipe_names == ["tok2vec", "parser", "ner"]
    assert with_parser.get_pipe("tok2vec").listening_components == ["parser"]
    text = "Angela Merkel met Emmanuel Macron in Paris on Tuesday, Reuters reported."
    assert [(e.text, e.label_) for e in enricher.nlp(text).ents] == [(e.text, e.label_) for e in with_parser(text).ents]


def test_a_known_place_is_a_place_unless_a_title_makes_it_a_person(enricher: Enricher) -> None:
    body = (
        "Aid convoys were held up in Kinshasa on Monday after fighting near the airport. "
        "President Clinton said Washington would send more supplies."
    )
    out = enricher.enrich(article(body))
    assert "Kinshasa" in out.entities.location and "Kinshasa" not in out.entities.organization
    assert "Clinton" in out.entities.person and "Clinton" not in out.entities.location


def test_an_all_caps_table_row_keeps_its_name(enricher: Enricher) -> None:
    body = (
        "Standings of the basketball league (tabulate under won, lost, percentage, games behind):\n"
        "PACIFIC DIVISION\nW L PCT GB\nSEATTLE 15 5 .750 -\nGOLDEN STATE 6 12 .333 8\nLA LAKERS 13 7 .650 2"
    )
    out = enricher.enrich(article(body))
    names = {m.text for m in out.entity_mentions}
    assert {"GOLDEN STATE", "LA LAKERS"} <= names
    assert not names & {"GOLDEN", "STATE", "LA"}


def test_players_listed_on_a_line_are_people(enricher: Enricher) -> None:
    body = (
        "Result of a basketball match in the European league on Thursday:\n"
        "Charleroi (Belgium) 75 Estudiantes Madrid (Spain) 82\n"
        "Leading scorers:\n"
        "Charleroi - Eric Cleymans 18, Ron Ellis 18, Jacques Stas 14\n"
        "Japan: 19 - Kenichi Shimokawa, 2 - Hiroshige Yanagimoto, 3 - Naoki Soma"
    )
    out = enricher.enrich(article(body))
    for person in ("Eric Cleymans", "Ron Ellis", "Jacques Stas", "Kenichi Shimokawa", "Naoki Soma"):
        assert person in out.entities.person, person
    assert {"Charleroi", "Estudiantes Madrid"} <= set(out.entities.organization)


@pytest.mark.parametrize(("body", "company"), [
    ("Shares in PT Sinar Kencana Abadi rose five percent in Jakarta on Monday after the miner said its output "
     "would double.", "PT Sinar Kencana Abadi"),
    ("Output at OAO Severny Metall fell by a third last year, the company's chief executive Ivan Orlov said.",
     "OAO Severny Metall"),
])
def test_a_legal_form_before_a_name_makes_it_a_company(enricher: Enricher, body: str, company: str) -> None:
    out = enricher.enrich(article(body))
    assert company in out.entities.organization
    assert not {company, company.split(" ", 1)[1]} & set(out.entities.person + out.entities.location)


@pytest.mark.parametrize(("body", "person"), [
    ("Production chief Walter van der Hulst left the company in March, two years after he joined it.",
     "Walter van der Hulst"),
    ("The team coach Albert van den Broek said the players had trained hard all week in Utrecht.",
     "Albert van den Broek"),
])
def test_a_name_does_not_end_on_the_particle_of_its_surname(enricher: Enricher, body: str, person: str) -> None:
    out = enricher.enrich(article(body))
    assert out.entities.person == (person,)


def test_a_surname_ner_called_a_product_is_the_person_but_a_first_word_stays() -> None:
    def cand(text: str, start: int, label: str, etype: EntityType) -> Candidate:
        return Candidate("body", start, start + len(text), text, text, label, etype, text)

    cands = [cand("Kenji Takamura", 0, "PERSON", "person"), cand("Greek Kenji Takamura", 40, "PERSON", "person"),
             cand("Takamura", 80, "PRODUCT", "misc"), cand("Greek", 100, "NORP", "misc")]
    merged = {c.text: (c.type, c.canonical) for c in merge_people(cands, gazetteer())}
    assert merged["Takamura"] == ("person", "Takamura")  # two full names end on it: its own text stays canonical
    assert merged["Greek"] == ("misc", "Greek")


@pytest.mark.parametrize("body", [
    '"Hiring will slow in the spring," said Paul Verne, president of Northgate Analytics.',
    "The talks were led by the Secretary of State and the governor of Kansas.",
])
def test_a_title_before_of_names_an_office_not_a_person(enricher: Enricher, body: str) -> None:
    # "Director of Northgate Analytics", "Secretary of State": what follows "of" is not the person
    out = enricher.enrich(article(body))
    assert not {"Northgate Analytics", "State", "Kansas"} & set(out.entities.person)


def test_a_nation_that_fields_its_own_team_is_a_place_not_a_club(enricher: Enricher) -> None:
    body = ("Results of the semifinals of the squash tournament on Friday:\n"
            "Andrew Kellock (Scotland) beat Simon Tarrant (England) 15-7 15-12 15-12\n"
            "Rhodri Evans (Wales) beat Martin Doyle (Northern Ireland) 15-9 15-11 15-13")
    out = enricher.enrich(article(body))
    assert {"Scotland", "England", "Wales", "Northern Ireland"} <= set(out.entities.location)
    assert not {"Scotland", "England", "Wales", "Northern Ireland"} & set(out.entities.organization)


def test_a_line_up_names_its_rows_and_its_substitutes(enricher: Enricher) -> None:
    # a line-up's rows are split by semicolons, a substitute is in brackets with his minute on, and a surname
    # may open with a hyphenated particle
    body = (
        "Northbridge beat Eastfield 2-1 in the league on Saturday, with goals from Tomas Bergmann and Ilan Fosse. "
        "Its coach named this side:\n"
        "Northbridge: 1 - Tomas Bergmann; 4 - Omar al-Khatib, 5 - Lukas Feldner (12 - Pavel Orsini 64), "
        "6 - Jonas Weissberg; 9 - Ilan Fosse."
    )
    out = enricher.enrich(article(body))
    for person in ("Omar al-Khatib", "Pavel Orsini", "Jonas Weissberg", "Lukas Feldner"):
        assert person in out.entities.person, person
    assert not {"Omar al", "Khatib"} & set(out.entities.person)


@pytest.mark.parametrize(("dateline", "places"), [
    ("WHISTLER, British Columbia 1996-12-06", ("WHISTLER", "British Columbia")),
    ("IGLS, Austria 1996-12-06", ("IGLS", "Austria")),  # a town too small for the gazetteer
    ("DODGE CITY, Kan. 1996-12-06", ("DODGE CITY", "Kan.")),  # the state's abbreviation keeps its full stop
])
def test_the_dateline_over_the_story_names_places(enricher: Enricher, dateline: str,
                                                    places: tuple[str, ...]) -> None:
    body = (f"{dateline}\nOrganisers said on Friday they hoped to hold the race on Sunday after heavy snow "
            "closed the course for a second day.")
    enriched = enricher.enrich(article(body, title="Snow halts race"))
    printed = {m.text: m.type for m in enriched.entity_mentions}
    assert {place: printed.get(place) for place in places} == dict.fromkeys(places, "location")
    assert not enriched.entities.organization and not enriched.entities.person


def test_a_capitalised_line_with_a_date_in_the_story_is_no_dateline(enricher: Enricher) -> None:
    body = ("The council met on Monday and agreed the plan after a long debate about the cost of the works.\n"
            "Later that week the mayor said the bridge would reopen in May.\n"
            "More debate followed.\nUPDATE 1996-12-06")
    mentioned = {m.text: m.type for m in enricher.enrich(article(body, title="Bridge plan")).entity_mentions}
    assert "UPDATE" not in mentioned


def test_the_byline_over_the_dateline_and_the_sign_off_name_the_writer_and_the_desk(enricher: Enricher) -> None:
    body = ("Lynnley Browning\nMOSCOW 1996-12-06\n"
            "Russia's finance minister warned the nickel producer on Friday that it must pay overdue taxes.\n"
            "Analysts said the state was unlikely to liquidate the company.\n"
            "-- Lynnley Browning, Moscow Newsroom, +7095 941 8520")
    enriched = enricher.enrich(article(body, title="Russia warns nickel producer"))
    assert "Lynnley Browning" in enriched.entities.person
    assert "Moscow Newsroom" in enriched.entities.organization
    assert "Lynnley Browning" not in enriched.entities.location


def test_a_town_newsroom_in_lower_case_is_the_town(enricher: Enricher) -> None:
    body = ("The central bank left its main rate unchanged on Friday, as economists had expected.\n"
            "-- Chris Aspin, Mexico City newsroom +525 728 7903")
    enriched = enricher.enrich(article(body, title="Rates unchanged"))
    assert "Chris Aspin" in enriched.entities.person
    assert "Mexico City" in enriched.entities.location
    assert not any("newsroom" in name.lower() for name in enriched.entities.organization)


def test_news_agencies_are_organizations_under_their_agency_name(enricher: Enricher) -> None:
    body = ("The official Xinhua news agency said the port would open next year. Xinhua gave no figures.\n"
            "The report was confirmed to Reuter by a ministry spokesman.")
    enriched = enricher.enrich(article(body, title="Port to open"))
    assert {"Xinhua", "Reuters"} <= set(enriched.entities.organization)
    assert "Xinhua" not in enriched.entities.location
    assert {m.text for m in enriched.entity_mentions if m.canonical == "Reuters"} == {"Reuter"}


def test_a_person_named_like_an_agency_stays_a_person(enricher: Enricher) -> None:
    body = "West Berlin mayor Ernst Reuter appealed to the world in 1948 to look upon the city."
    enriched = enricher.enrich(article(body, title="Berlin airlift"))
    assert "Ernst Reuter" in enriched.entities.person
    assert "Reuters" not in enriched.entities.organization


def test_a_three_letter_acronym_is_not_read_as_an_agency(enricher: Enricher) -> None:
    body = "The core PPI rose 2.7% in January, and traders said the PPI would argue for higher rates."
    enriched = enricher.enrich(article(body, title="Prices rise"))
    assert "Pakistan Press International" not in enriched.entities.organization
