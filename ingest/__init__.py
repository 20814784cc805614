"""News seeds → normalised, enriched articles → Elasticsearch. The library never imports Airflow."""

__version__ = "0.1.0"

# Bump when what an article becomes changes (parse/normalise/enrich/stories): the ledger then re-processes
# every file on the next run. tests/test_search_version.py pins the golden inputs' output to this value.
PIPELINE_VERSION = "14"
