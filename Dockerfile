# Airflow 3 with the project's library installed, for docker-compose.yml.
FROM apache/airflow:3.3.2-python3.11
USER root
COPY --chown=airflow:0 . /opt/news-ingest
USER airflow
RUN grep -v -i -E '^(apache-airflow|airflow)' /opt/news-ingest/constraints.txt > /tmp/constraints.txt \
 && pip install --no-cache-dir -c /tmp/constraints.txt -e /opt/news-ingest \
 && pip install --no-cache-dir --no-deps --require-hashes -r /opt/news-ingest/requirements-model.txt
