"""Demo content of the domain apps; each app's part is added here as the app arrives."""

from __future__ import annotations

from ravabet.network.models import Office


def load(offices: dict[str, Office], verbosity: int = 1) -> int:
    """Create the demo content that is missing; return how many records were created."""
    from ravabet.demands.services import load_demo as load_demands

    return load_demands(offices)
