"""`python -m ingest_airflow settings [--json]`: `ingest settings` as the DAG tasks see them — the environment,
then Airflow's `elasticsearch_default` and `smtp_default` connections (the `ingest` command, part of the
library, knows no Airflow). Run it where the tasks run, with their AIRFLOW_HOME and environment."""

from __future__ import annotations

import argparse
import sys


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m ingest_airflow")
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("settings", help="each setting's effective value in a task and where it came from "
                                        "(default, environment, an Airflow connection); secrets masked")
    p.add_argument("--json", action="store_true", help="one JSON object a line: name, value, origin, description")
    args = parser.parse_args(argv)

    from ingest.cli import print_settings
    from ingest.config import explain
    from ingest.logs import quiet_third_party
    from ingest_airflow.connections import settings_traced, smtp_traced

    quiet_third_party()
    settings, origins = settings_traced()
    smtp, smtp_origin = smtp_traced()
    print_settings(explain(settings, origins, smtp=smtp, smtp_origin=smtp_origin), as_json=args.json)
    return 0


if __name__ == "__main__":
    sys.exit(main())
