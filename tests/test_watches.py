"""Watchlists and alerts with real receivers: a local HTTP server for webhooks and a local SMTP server
(aiosmtpd), the real `ingest` command and Elasticsearch node. A watch tells its owner about each new story
once: grouped per story, never again on re-runs, copies, renames or --force, retried after a failed delivery,
and no secret in any output or alert."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from conftest import ingest_cli
from elasticsearch import Elasticsearch
from receivers import SMTP_PASSWORD, smtp_server, webhook_server

from ingest import alerts, watches
from ingest.config import Settings
from ingest.errors import TerminalError
from ingest.notify import RetryPolicy, SmtpSettings, post_webhook, redact_url

# the local SMTP server takes a login over plain SMTP on loopback: its warning about that is expected here
pytestmark = pytest.mark.filterwarnings("ignore:Requiring AUTH while not requiring TLS:UserWarning")

HOOK_TOKEN = "T0kenInThePath0123456789abcdef"
QUERY_SECRET = "qs-Secret-77aa"

HARBOUR = ("Harbour cranes return to Rotterdam after strike",
           "ROTTERDAM (Reuters) - Dock workers in Rotterdam ended a three-day strike on Tuesday after the port "
           "authority agreed to review shift patterns, the FNV union said. Container traffic resumed at the "
           "Maasvlakte terminals within hours, and shipping lines said the backlog would clear by the weekend.")
HARBOUR_2 = ("Rotterdam pilots threaten a new strike over pensions",
             "ROTTERDAM (Reuters) - Ship pilots in Rotterdam said on Wednesday they would strike next month unless "
             "the government restores their pension terms, a move that could halt tankers entering Europe's "
             "biggest port. The pilots' association gave ministers until the end of the week to answer.")
GLACIER = ("Swiss glacier lost a tenth of its ice this summer",
           "ZURICH (Reuters) - The Rhone glacier lost about a tenth of its volume this summer, researchers at ETH "
           "Zurich said on Monday, the steepest loss since records began. Meltwater lakes formed at the snout for "
           "the first time, and the team warned that smaller glaciers nearby could vanish within a decade.")
OLD_GLACIER = ("Glacier tours cancelled as ice bridge collapses",
               "GRINDELWALD (Reuters) - Guides cancelled glacier tours on Sunday after an ice bridge collapsed "
               "above the village, police said. Nobody was hurt, and the mountain railway kept running to the "
               "upper station while geologists inspected the slope above the lower gorge.")
RAIL = ("Kenya opens rail link between Nairobi and Naivasha",
        "NAIROBI (Reuters) - Kenya Railways opened a new passenger service between Nairobi and Naivasha on Friday, "
        "cutting the journey to under two hours, the transport ministry said.")


def write(folder: Path, name: str, story: tuple[str, str], byline: str = "By Jane Doe, Reuters") -> None:
    title, body = story
    (folder / name).write_text(f"{title}\n\n{byline}\n\n{body}\n\nThe statement gave no further details.\n")


def cli(settings: Settings, *args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return ingest_cli(settings, *args, check=False, env=env)


def run(settings: Settings, *args: str, env: dict[str, str] | None = None) -> dict[str, Any]:
    result = cli(settings, "run", "--json", "--workers", "1", *args, env=env)
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-3000:]
    summary: dict[str, Any] = json.loads(result.stdout.strip().splitlines()[-1])
    summary["_output"] = result.stdout + result.stderr
    return summary


def alert_docs(es: Elasticsearch, settings: Settings) -> list[dict[str, Any]]:
    es.indices.refresh(index=settings.alerts_index)
    hits = es.search(index=settings.alerts_index, size=1000, query={"match_all": {}})["hits"]["hits"]
    return [{"id": h["_id"], **h["_source"]} for h in hits]


# ---------------------------------------------------------------------------------------------- unit
def test_redact_url_hides_userinfo_query_values_and_path_tokens() -> None:
    url = f"https://bot:pa55@hooks.example.org:8443/services/{HOOK_TOKEN}?token={QUERY_SECRET}&channel=news"
    shown = redact_url(url)
    assert shown == "https://hooks.example.org:8443/services/***?token=***&channel=***"
    for secret in ("pa55", "bot", HOOK_TOKEN, QUERY_SECRET):
        assert secret not in shown
    assert redact_url("http://127.0.0.1:8000/hook") == "http://127.0.0.1:8000/hook"


def test_make_watch_rejects_bad_names_addresses_urls_and_dates() -> None:
    for name, query, filters, hook, mail, why in [
        ("has space", "x", {}, None, (), "watch name"),
        ("ok", "x", {}, "ftp://example.org/x", (), "not an http(s) URL"),
        ("ok", "x", {}, None, ("not-an-address",), "not an e-mail address"),
        ("ok", "x", {"since": "last tuesday"}, None, (), "not a date"),
        ("ok", "x", {"colour": "red"}, None, (), "unknown filter"),
    ]:
        with pytest.raises(TerminalError, match=re.escape(why)):
            watches.make_watch(name, query, filters, hook, mail)
    watch = watches.make_watch("ok", "strike", {"location": ("Rotterdam",), "since": "2019"}, None, ())
    assert watch.request().location == ("Rotterdam",) and watch.request().since == "2019"


def test_webhook_retries_5xx_with_backoff_and_gives_up_on_4xx() -> None:
    policy = RetryPolicy(attempts=3, backoff=0.05)
    with webhook_server() as hook:
        hook.script = {"/flaky": [503, 502], "/gone": [404], "/down": [503, 503, 503]}
        ok = post_webhook(f"{hook.url}/flaky", {"watch": "w", "articles": []}, policy)
        assert ok.ok and ok.attempts == 3
        gone = post_webhook(f"{hook.url}/gone?token={QUERY_SECRET}", {"watch": "w", "articles": []}, policy)
        assert not gone.ok and gone.attempts == 1 and "404" in str(gone.reason)
        assert QUERY_SECRET not in str(gone.reason)
        down = post_webhook(f"{hook.url}/down", {"watch": "w", "articles": []}, policy)
        assert not down.ok and down.attempts == 3 and "503" in str(down.reason)
        assert [r["status"] for r in hook.posts()] == [503, 502, 200, 404, 503, 503, 503]
    refused = post_webhook(hook.url + "/closed", {"watch": "w", "articles": []}, policy)  # server gone
    assert not refused.ok and "unreachable" in str(refused.reason)


def test_no_watches_means_no_work(settings: Settings, es: Elasticsearch) -> None:
    report = alerts.check_run(es, settings, "no-such-run", SmtpSettings())
    assert report.watches == 0 and report.searches == 0


# ---------------------------------------------------------------------------------------------- ingest run
def test_a_watch_tells_once_per_story_across_reruns_copies_renames_and_force(  # noqa: PLR0915 - one story
    settings: Settings, es: Elasticsearch,                                     # followed through five runs
) -> None:
    source = Path(settings.source)
    with webhook_server() as hook, smtp_server() as mail:
        env = mail.env()
        secret_hook = f"{hook.url}/hook/{HOOK_TOKEN}?token={QUERY_SECRET}"
        # added before the alias's first run: its indices are created by `watch add`
        added = cli(settings, "watch", "add", "harbour", "Rotterdam strike", "--webhook", secret_hook,
                    "--email", "desk@example.org", "--email", "ops@example.org", env=env)
        assert added.returncode == 0, added.stderr
        later = cli(settings, "watch", "add", "glacier-later", "glacier", "--since", "2090", "--webhook",
                    f"{hook.url}/glacier", env=env)
        assert later.returncode == 0, later.stderr
        listed = cli(settings, "watch", "list", "--json", env=env)
        shown = {w["name"]: w for w in map(json.loads, listed.stdout.splitlines())}
        assert set(shown) == {"harbour", "glacier-later"}
        assert shown["harbour"]["webhook"] == f"{hook.url}/hook/***?token=***"
        assert shown["harbour"]["email"] == ["desk@example.org", "ops@example.org"]
        assert shown["glacier-later"]["filters"] == {"since": "2090"}

        write(source, "harbour.txt", HARBOUR)
        write(source, "harbour-syndicated.txt", ("Dockers end Rotterdam strike", HARBOUR[1]), "By AP staff")
        write(source, "glacier.txt", GLACIER)
        outputs = [run(settings, env=env)]
        first = outputs[0]
        assert first["state"] == "success" and first["counts"]["indexed_docs"] == 3
        assert first["alerts"]["watches"] == 2 and first["alerts"]["new_alerts"] == 1, first["alerts"]

        (post,) = hook.delivered("/hook/")
        assert post["watch"] == "harbour"
        (entry,) = post["articles"]  # the two copies of one story: one entry
        assert set(entry) == {"id", "title", "url", "published_at", "story_id"}
        assert entry["title"] in {HARBOUR[0], "Dockers end Rotterdam strike"}
        assert hook.posts("/glacier") == []  # matched 'glacier', but --since 2090 filters it out
        (message,) = mail.messages
        assert message["Subject"] == "[news-ingest] harbour: 1 new story"
        assert message["X-Envelope-To"] == "desk@example.org, ops@example.org"
        assert entry["title"] in message.get_content() and entry["story_id"] in message.get_content()
        assert mail.logins == ["alerts"]

        (alert,) = alert_docs(es, settings)
        assert alert["watch"] == "harbour" and alert["delivered"] is True and alert["status"] == "delivered"
        assert len(alert["article_ids"]) == 2 and alert["story_id"] == entry["story_id"]
        assert sorted(alert["channels"]) == ["email", "webhook"] and alert["matched_at"]

        # re-run (nothing changed), a renamed copy and an unrelated story, then everything forced: silence
        outputs.append(run(settings, env=env))
        shutil.copy(source / "harbour.txt", source / "harbour-renamed.txt")
        (source / "harbour.txt").unlink()
        write(source, "rail.txt", RAIL)
        outputs.append(run(settings, env=env))
        outputs.append(run(settings, "--force", env=env))
        assert outputs[-1]["alerts"]["matched"] >= 2  # --force rewrote the copies: matched, known, not sent
        assert len(hook.posts()) == 1 and len(mail.messages) == 1
        assert len(alert_docs(es, settings)) == 1

        # a new story: one notification, listing it alone
        write(source, "pilots.txt", HARBOUR_2)
        outputs.append(run(settings, env=env))
        assert outputs[-1]["alerts"]["new_alerts"] == 1
        second = hook.delivered("/hook/")[1]
        assert [a["title"] for a in second["articles"]] == [HARBOUR_2[0]]
        assert len(mail.messages) == 2 and HARBOUR_2[0] in mail.messages[1].get_content()

        listing = cli(settings, "alerts", "--watch", "harbour", env=env)
        assert listing.returncode == 0 and HARBOUR_2[0] in listing.stdout and "[+1 copy]" in listing.stdout
        as_json = [json.loads(line) for line in cli(settings, "alerts", "--json", env=env).stdout.splitlines()]
        assert len(as_json) == 2 and {a["watch"] for a in as_json} == {"harbour"}

        everything = "".join(o["_output"] for o in outputs) + listed.stdout + json.dumps(alert_docs(es, settings))
        for secret in (HOOK_TOKEN, QUERY_SECRET, SMTP_PASSWORD):
            assert secret not in everything
        removed = cli(settings, "watch", "remove", "glacier-later")
        assert removed.returncode == 0 and "removed" in removed.stdout
        assert cli(settings, "watch", "remove", "glacier-later").returncode == 1


def test_only_the_runs_documents_are_checked_and_failed_deliveries_are_retried(
    settings: Settings, es: Elasticsearch
) -> None:
    source = Path(settings.source)
    write(source, "old-glacier.txt", OLD_GLACIER)
    run(settings)  # indexed before any watch exists: never alerted
    with webhook_server() as hook:
        hook.script = {"/down": [503, 503, 503], "/flaky": [503]}
        for name, path in (("glacier-down", "/down"), ("glacier-flaky", "/flaky")):
            assert cli(settings, "watch", "add", name, "glacier", "--webhook", hook.url + path).returncode == 0
        mail_only = cli(settings, "watch", "add", "glacier-mail", "glacier", "--email", "desk@example.org")
        assert mail_only.returncode == 0
        write(source, "glacier.txt", GLACIER)
        first = run(settings)  # no INGEST_SMTP_HOST: the mail cannot go
        assert first["state"] == "success"
        assert first["alerts"]["new_alerts"] == 3 and first["alerts"]["failed"] == 2, first["alerts"]
        assert [r["status"] for r in hook.posts("/down")] == [503, 503, 503]
        assert [r["status"] for r in hook.posts("/flaky")] == [503, 200]  # retried within the check
        (flaky,) = hook.delivered("/flaky")
        assert [a["title"] for a in flaky["articles"]] == [GLACIER[0]]  # not the older glacier story
        by_watch = {a["watch"]: a for a in alert_docs(es, settings)}
        assert by_watch["glacier-flaky"]["delivered"] is True
        down = by_watch["glacier-down"]
        assert down["delivered"] is False and down["status"] == "failed" and down["pending"] == ["webhook"]
        assert "503" in down["reason"] and "after 3 attempts" in down["reason"]
        mail_alert = by_watch["glacier-mail"]
        assert mail_alert["status"] == "failed" and "no SMTP server configured" in mail_alert["reason"]
        assert "failed" in cli(settings, "alerts", "--watch", "glacier-down").stdout

        second = run(settings)  # nothing new: the failed deliveries are tried again, and /down now answers
        assert second["alerts"]["new_alerts"] == 0 and second["alerts"]["retried"] == 2
        (down_post,) = hook.delivered("/down")
        assert [a["title"] for a in down_post["articles"]] == [GLACIER[0]]
        assert len(hook.delivered("/flaky")) == 1  # delivered once, not again
        by_watch = {a["watch"]: a for a in alert_docs(es, settings)}
        assert by_watch["glacier-down"]["delivered"] is True and by_watch["glacier-down"]["attempts"] == 2
        assert by_watch["glacier-mail"]["status"] == "failed"

        with smtp_server() as mail:  # the mail server is configured now: the mail goes, once
            run(settings, env=mail.env())
            run(settings, env=mail.env())
            (message,) = mail.messages
            assert GLACIER[0] in message.get_content() and OLD_GLACIER[0] not in message.get_content()
        assert alert_docs(es, settings) and all(a["delivered"] for a in alert_docs(es, settings))
        assert len(hook.posts()) == 6  # /down: 3 failed + 1 next run; /flaky: 503 then 200


def test_a_failed_runs_documents_are_checked(settings: Settings, es: Elasticsearch) -> None:
    """A run that fails (here: its mass deletion is refused) still wrote documents: they are checked."""
    source = Path(settings.source)
    for n in range(4):
        write(source, f"note-{n}.txt", (f"County note {n}", f"The county board met for the {n}th time on roads."))
    run(settings)
    with webhook_server() as hook:
        assert cli(settings, "watch", "add", "glacier", "glacier", "--webhook", hook.url + "/g").returncode == 0
        # a stored watch that no longer reads (edited by hand): named in the problems, the others still work
        es.index(index=settings.watches_index, id="broken", refresh=True, document={
            "name": "broken", "query": "glacier", "filters": {"since": "last spring"}, "email": []})
        for n in range(4):
            (source / f"note-{n}.txt").unlink()
        write(source, "glacier.txt", GLACIER)
        result = cli(settings, "run", "--json", "--workers", "1")
        assert result.returncode == 1  # failed: it refused to delete most of the root's files
        summary = json.loads(result.stdout.strip().splitlines()[-1])
        assert summary["state"] == "failed" and summary["alerts"]["new_alerts"] == 1
        assert summary["alerts"]["watches"] == 2 and summary["alerts"]["problems"] == [
            "watch broken: not a date: 'last spring' (use YYYY, YYYY-MM, YYYY-MM-DD or A..B)"]
        assert "alerts: watch broken: not a date" in result.stderr
        (post,) = hook.delivered("/g")
        assert [a["title"] for a in post["articles"]] == [GLACIER[0]]


def test_smtp_settings_from_the_environment_and_a_connection() -> None:
    env = {"INGEST_SMTP_HOST": "mail.example.org", "INGEST_SMTP_PORT": "587", "INGEST_SMTP_USER": "u",
           "INGEST_SMTP_PASSWORD": "p", "INGEST_SMTP_FROM": "a@example.org", "INGEST_SMTP_STARTTLS": "true"}
    smtp = SmtpSettings.from_env(env)
    assert (smtp.host, smtp.port, smtp.starttls, smtp.ssl, smtp.sender) == ("mail.example.org", 587, True, False,
                                                                            "a@example.org")
    assert "p" not in smtp.describe().replace("mail.example.org", "")
    conn = SmtpSettings.from_connection(host="smtp.example.org", port=465, login="u", password="p",
                                        extra={"from_email": "b@example.org"})
    assert conn.ssl and conn.sender == "b@example.org"
    plain = SmtpSettings.from_connection(host="h", port=25, login=None, password=None,
                                         extra={"disable_ssl": True, "disable_tls": True})
    assert not plain.ssl and not plain.starttls
