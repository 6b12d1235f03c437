"""Benchmark data beyond the demo, sized by `--size`: run by bench/run.py inside the server's
environment (`python bench/data.py --size N`). An app adds its data by adding one function to
LOADERS; each receives the size and creates what it needs through its app's services.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable


def offices(size: int) -> int:
    """`size` extra county offices under the first governorate, each with one district."""
    from ravabet.network import services
    from ravabet.network.models import Office

    parent = Office.objects.filter(kind="governorate").order_by("path").first()
    created = 0
    for i in range(size):
        county, new = services.ensure_office(
            slug=f"bench-county-{i}",
            parent=parent,
            kind="county",
            name_fa=f"فرمانداری آزمایشی {i}",
            name_en=f"Benchmark County {i}",
        )
        created += new
        _, new = services.ensure_office(
            slug=f"bench-district-{i}",
            parent=county,
            kind="district",
            name_fa=f"بخشداری آزمایشی {i}",
            name_en=f"Benchmark District {i}",
        )
        created += new
    return created


LOADERS: list[Callable[[int], int]] = [offices]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--size", type=int, default=0)
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ravabet.settings")
    import django

    django.setup()
    for load in LOADERS:
        print(f"{load.__name__}: {load(args.size)} records", file=sys.stderr)


if __name__ == "__main__":
    main()
