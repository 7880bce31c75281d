#!/bin/sh
# Runs once, when the PostgreSQL container initialises an empty data folder (docker-entrypoint-initdb.d): the ingest
# service's own database and user, beside the registry's (POSTGRES_DB). psql variables quote the values.
set -eu
psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname "$POSTGRES_DB" \
  -v user="$INGEST_DB_USER" -v password="$INGEST_DB_PASSWORD" <<'SQL'
CREATE USER :"user" WITH PASSWORD :'password';
CREATE DATABASE ingest OWNER :"user";
SQL
