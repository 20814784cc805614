"""What a page's URL says, for every reader (HTML, JSON, text): the country of its host and the names its
host gives the site. See docs/architecture.md, Vocabularies (generic_country_tlds, second_level_domains).
"""

from __future__ import annotations

from urllib.parse import urlsplit

from ingest import vocab

# host labels that never name the site: subdomains of every site and generic top-level domains
_HOST_NOISE = frozenset({"www", "m", "amp", "com", "org", "net", "co", "news"})


def url_country(url: str | None) -> str | None:
    """'https://www.example.co.uk/…' → 'GB': the country of the host's country-code top-level domain."""
    host = urlsplit(url or "").hostname or ""
    tld = host.rsplit(".", 1)[-1].lower() if "." in host else ""
    if len(tld) == 2 and tld not in vocab.entries("generic_country_tlds"):
        return "GB" if tld == "uk" else tld.upper()
    return None


def host_names(url: str | None) -> list[str]:
    """Names a site goes by in its host: 'https://www.spiegel.de/x' → ['spiegel.de', 'spiegel',
    'www.spiegel.de']; the kind-of-site label under a country domain is dropped (bundeskanzleramt.gv.at)."""
    host = urlsplit(url or "").hostname or ""
    labels = [x for x in host.split(".") if x not in _HOST_NOISE]
    if len(labels) >= 3 and len(labels[-1]) == 2 and labels[-2] in vocab.entries("second_level_domains"):
        labels.pop(-2)
    if not host or not labels:
        return []
    return [".".join(labels), labels[0] if len(labels) == 1 else labels[-2], host]
