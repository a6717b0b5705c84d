"""The database connection pool checks a connection before handing it out (issue 11, finding
14): after PostgreSQL's connections are killed (a restart, a failover, pg_terminate_backend),
the next requests are answered as usual, instead of one 500 for each dead pooled connection.

The test process does not pool its connections (tests/conftest.py), so the pool is the one of
a uvicorn server started on the test database, as configured by config/settings.py.
"""

import http.client

import pytest
from django.db import connection

from tests.e2e.conftest import Server, database_url, free_port


@pytest.fixture
def server(db):
    if connection.vendor != "postgresql":
        pytest.skip("the connection pool is PostgreSQL's")
    running = Server(database_url(), free_port())
    running.start()
    yield running
    running.stop()


def get(server, path: str) -> int:
    client = http.client.HTTPConnection("127.0.0.1", server.port, timeout=30)
    try:
        client.request("GET", path)
        response = client.getresponse()
        response.read()
        return response.status
    finally:
        client.close()


def kill_the_servers_connections() -> int:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
            "WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )
        return cursor.fetchone()[0]


@pytest.mark.postgres
def test_after_the_databases_connections_are_killed_the_next_requests_answer_200(server):
    assert [get(server, "/api/v1/meetings/") for _ in range(3)] == [200, 200, 200]
    assert kill_the_servers_connections() >= 1
    assert [get(server, "/api/v1/meetings/") for _ in range(5)] == [200] * 5
