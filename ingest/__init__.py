"""News seeds → normalised, enriched articles → Elasticsearch. The library never imports Airflow."""

__version__ = "0.1.0"

# Bump when the output of parse/normalise/enrich changes: the ledger then re-processes every file.
PIPELINE_VERSION = "3"
