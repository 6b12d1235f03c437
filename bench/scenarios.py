"""The pages the benchmark drives: ONE list. An app adds its pages by appending one line.

Each scenario is a public GET (no cookies) answered 200; the harness fetches its HTML once, saves
it for nginx, then drives both the real server and nginx with wrk.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Scenario:
    name: str
    path: str


SCENARIOS: list[Scenario] = [
    Scenario("province home", "/"),
    Scenario("office home", "/ilam-governorate/"),
    Scenario("office home (en)", "/en/salehabad/"),  # a district (the demo is one province)
    Scenario("sign-in page", "/accounts/login/"),
    # docs/deployment.md's limits table (issue 19): a cached list, an article, an uncached list.
    Scenario("news list", "/news/"),
    Scenario("news item", "/en/news/1010/ilam-announces-its-programme-for-public-relations-week/"),
    Scenario("published demands", "/demands/published/"),
]
