"""Run inside a Django process wired to a real primary and a real streaming replica
(tests/scale/test_replica.py starts both): walk a citizen through sending a demand while the
replica's replay is paused, and print, as JSON, what each client saw and where it was read.

    python -m tests.scale.replica_probe CLUSTER_FOLDER
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path


def main(folder: str) -> dict:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ravabet.settings")
    import django

    django.setup()
    from django.db import transaction
    from django.test import Client
    from django.test.utils import setup_test_environment

    from ravabet.demands.tests.helpers import form_data
    from ravabet.network import replica
    from ravabet.network.models import Office
    from ravabet.ops.pgcluster import Cluster

    setup_test_environment()
    cluster = Cluster.load(Path(folder))
    seen: dict = {}

    def look(client: Client, path: str) -> list:
        response = client.get(path)
        return [response.status_code, response.get("X-Ravabet-Read")]

    Office.objects.get_or_create(
        slug="ilam", defaults={"kind": "directorate", "name_fa": "روابط عمومی ایلام"}
    )
    cluster.wait_caught_up()
    stranger, citizen = Client(), Client()
    seen["caught_up"] = look(stranger, "/demands/published/")

    cluster.pause()
    sent = citizen.post("/ilam/demands/new/", form_data(citizen, "ilam"))
    seen["sent"] = [sent.status_code, replica.PIN_COOKIE in sent.cookies]
    track = sent["Location"]
    seen["writer_reads"] = look(citizen, track)
    seen["stranger_reads"] = look(stranger, track)
    # What the two guards prevent, shown by switching the caught-up check off: the stranger is
    # sent to the paused replica and does not find the demand; the writer is still pinned.
    real_check = replica.caught_up
    replica.caught_up = lambda: True
    try:
        seen["stranger_unguarded"] = look(stranger, track)
        seen["writer_unguarded"] = look(citizen, track)
        with transaction.atomic():
            # Inside a transaction every read goes to the primary, whatever the view asked.
            from ravabet.demands.models import Demand

            token = replica._reading.set(True)
            try:
                seen["in_transaction_db"] = Demand.objects.filter(
                    code=track.rstrip("/").rsplit("/", 1)[-1]
                ).db
            finally:
                replica._reading.reset(token)
    finally:
        replica.caught_up = real_check

    cluster.resume()
    cluster.wait_caught_up()
    seen["stranger_after_resume"] = look(stranger, track)

    cluster.stop_server(cluster.replica_dir)
    seen["replica_stopped"] = look(stranger, track)
    cluster.start_server(cluster.replica_dir)
    return seen


if __name__ == "__main__":
    print(json.dumps(main(sys.argv[1])))
