"""What a URL says for every reader: the host's country and the names the host gives the site."""

from __future__ import annotations

from ingest.parse.urls import host_names, url_country


def test_country_of_the_country_code_domain() -> None:
    assert url_country("https://www.example.co.uk/news/1") == "GB"
    assert url_country("https://www.spiegel.de/politik") == "DE"
    assert url_country("https://startup.io/post") is None  # a country code sold as a generic name
    assert url_country("https://example.com/") is None and url_country(None) is None


def test_host_names_without_the_kind_of_site_label() -> None:
    assert host_names("https://www.spiegel.de/x") == ["spiegel.de", "spiegel", "www.spiegel.de"]
    assert host_names("https://www.bundeskanzleramt.gv.at/a") == ["bundeskanzleramt.at", "bundeskanzleramt",
                                                                 "www.bundeskanzleramt.gv.at"]
    assert host_names(None) == []
