"""A Ray cluster of two nodes on this machine, a PostgreSQL store, and an app process that trains
on the cluster (PLAYGROUND_RAY_ADDRESS), for the whole module; all stopped at the end."""

from collections.abc import Iterator

import pytest

from tests.cluster.ray_cluster import RayCluster
from tests.postgres import PostgresCluster
from tests.server import Server


@pytest.fixture(scope="module")
def ray_cluster() -> Iterator[RayCluster]:
    cluster = RayCluster(nodes=2)
    yield cluster
    cluster.close()


@pytest.fixture(scope="module")
def cluster_env(ray_cluster: RayCluster, postgres: PostgresCluster) -> dict[str, str]:
    """What an app process on the cluster gets: the cluster's address and a new database."""
    return {
        "PLAYGROUND_RAY_ADDRESS": ray_cluster.address,
        "PLAYGROUND_DATABASE_URL": postgres.create_database(),
        "PLAYGROUND_PROBE_PROCESSES": "0",
        "RAY_USAGE_STATS_ENABLED": "0",
    }


@pytest.fixture(scope="module")
def ray_server(cluster_env: dict[str, str]) -> Iterator[Server]:
    server = Server(env=cluster_env)
    yield server
    server.close()


@pytest.fixture(scope="module")
def ray_server_b(cluster_env: dict[str, str], ray_server: Server) -> Iterator[Server]:
    """A second app process on the same database and cluster (its own port and data directory)."""
    server = Server(env=cluster_env)
    yield server
    server.close()
