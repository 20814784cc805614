"""Airflow's side of news-ingest: what must subclass Airflow's own classes (the watcher trigger). The
library `ingest` never imports Airflow; this package is its thin adapter, imported by the DAGs and, by
class path, by Airflow's triggerer."""
