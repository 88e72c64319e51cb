"""DuckDB for reading the store: one in-memory connection per process, a cursor
per call (DuckDB cursors are per thread)."""

from __future__ import annotations

import threading

import duckdb

_lock = threading.Lock()
_connection: duckdb.DuckDBPyConnection | None = None


def duck_cursor() -> duckdb.DuckDBPyConnection:
    global _connection
    with _lock:
        if _connection is None:
            _connection = duckdb.connect(config={"memory_limit": "1GB"})
        return _connection.cursor()
