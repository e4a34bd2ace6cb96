#!/bin/bash
# Runs once, when the primary's data folder is created (docker-entrypoint-initdb.d):
# a replication role for the replicas and a pg_hba rule letting them stream.
set -euo pipefail
psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname "$POSTGRES_DB" <<'SQL'
CREATE ROLE replicator WITH REPLICATION LOGIN PASSWORD 'replicator';
SQL
echo "host replication replicator all scram-sha-256" >> "$PGDATA/pg_hba.conf"
