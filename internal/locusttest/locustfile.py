"""Locust users that drive loadgate's stand-in shell API in integration tests.

Every request passes name= so that the endpoint names in Locust's CSV
files are fixed strings, equal to the ones the Go server counts under:

    GET /shells, GET /submodels/{id}, PUT /submodels/{id}, POST /shells,
    GET /shells/{id} (cached), POST /submodels

The three classes carry the same weight, so Locust gives each a third of
the users (run at least three).
"""

import random

from locust import HttpUser, between, task


def submodel_path():
    """Returns the path of one of 200 submodels, chosen at random."""
    return "/submodels/sm-%03d" % random.randrange(200)


class ShellEditor(HttpUser):
    """Browses and edits shells and submodels: 70% reads, 30% writes."""

    wait_time = between(0.02, 0.1)

    @task(40)
    def list_shells(self):
        self.client.get("/shells", name="GET /shells")

    @task(30)
    def read_submodel(self):
        self.client.get(submodel_path(), name="GET /submodels/{id}")

    @task(20)
    def update_submodel(self):
        body = {"value": random.random()}
        self.client.put(submodel_path(), json=body, name="PUT /submodels/{id}")

    @task(10)
    def create_shell(self):
        body = {"idShort": "shell-%08x" % random.getrandbits(32)}
        self.client.post("/shells", json=body, name="POST /shells")


class CachedReader(HttpUser):
    """Reads one well-known shell as fast as it can."""

    wait_time = between(0.02, 0.05)

    @task
    def read_cached(self):
        self.client.get("/shells/fixed-1", name="GET /shells/{id} (cached)")


class BurstWriter(HttpUser):
    """Creates submodels in quick succession; some of them conflict."""

    wait_time = between(0.02, 0.04)

    @task
    def create_submodel(self):
        body = {"idShort": "sm-%08x" % random.getrandbits(32)}
        self.client.post("/submodels", json=body, name="POST /submodels")
