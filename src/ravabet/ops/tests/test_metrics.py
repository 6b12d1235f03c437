"""`/metrics`: Prometheus text with requests by view and status, latency, page-cache results and
the shared state; counted across processes; refused to strangers (issue 19)."""

from __future__ import annotations

import subprocess
import sys
from wsgiref.util import setup_testing_defaults

import pytest
from django.core.handlers.wsgi import WSGIHandler
from prometheus_client.parser import text_string_to_metric_families

from ravabet.ops import metrics


def call(app, path: str, remote: str = "127.0.0.1", **extra: str):
    environ = {"PATH_INFO": path, "REQUEST_METHOD": "GET", "HTTP_HOST": "testserver"}
    environ["REMOTE_ADDR"] = remote
    environ.update(extra)
    setup_testing_defaults(environ)
    seen = {}

    def start_response(status, headers, exc_info=None):
        seen["status"], seen["headers"] = status, headers

    body = b"".join(app(environ, start_response))
    return int(seen["status"][:3]), dict(seen["headers"]), body


def samples(text: bytes) -> dict[tuple[str, tuple], float]:
    found = {}
    for family in text_string_to_metric_families(text.decode()):
        for sample in family.samples:
            found[(sample.name, tuple(sorted(sample.labels.items())))] = sample.value
    return found


def value(found, name: str, **labels: str) -> float:
    return found.get((name, tuple(sorted(labels.items()))), 0.0)


@pytest.fixture
def app(db):
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield metrics.MetricsApplication(WSGIHandler())
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


def test_requests_are_counted_by_view_and_status_with_latency(app, offices):
    before = samples(call(app, "/metrics")[2])
    for _ in range(3):
        assert call(app, "/healthz")[0] == 200
    assert call(app, "/no-such-office/")[0] == 404
    call(app, "/")
    call(app, "/")  # the second answer of the province's home comes from the page cache
    status, headers, body = call(app, "/metrics")
    assert status == 200 and headers["Content-Type"].startswith("text/plain")
    found = samples(body)

    def grew(name: str, **labels: str) -> float:
        return value(found, name, **labels) - value(before, name, **labels)

    assert grew("ravabet_http_requests_total", view="healthz", status="200") == 3
    assert grew("ravabet_http_requests_total", view="office_home", status="404") == 1
    assert grew("ravabet_http_request_duration_seconds_count", view="healthz") == 3
    assert grew("ravabet_http_request_duration_seconds_bucket", view="healthz", le="10.0") == 3
    assert grew("ravabet_page_cache_responses_total", result="miss") == 1
    served_from_cache = sum(
        grew("ravabet_page_cache_responses_total", result=r) for r in ("fast", "hit", "stale")
    )
    assert served_from_cache == 1
    assert value(found, "ravabet_database_up") == 1
    assert value(found, "ravabet_cache_up") == 1


def test_task_queue_depth_and_age_and_the_outbox_backlog_are_reported(app):
    from ravabet.network import outbox
    from ravabet.network.tasks import deliver

    deliver.enqueue([])
    deliver.enqueue([])
    outbox.queue("citizen@example.org", "پاسخ درخواست", "متن پیام")
    found = samples(call(app, "/metrics")[2])
    assert value(found, "ravabet_tasks_queued") >= 2
    assert value(found, "ravabet_tasks_oldest_age_seconds") >= 0
    assert value(found, "ravabet_outbox_pending") == 1
    assert value(found, "ravabet_outbox_oldest_age_seconds") >= 0


def test_strangers_are_refused_unless_they_bring_the_token(app, settings):
    settings.RAVABET_METRICS_TOKEN = "s3cret-token"
    status, _, body = call(app, "/metrics", remote="203.0.113.9")
    assert status == 403 and "دسترسی ممنوع" in body.decode()
    assert call(app, "/metrics", remote="203.0.113.9", HTTP_AUTHORIZATION="Bearer wrong")[0] == 403
    authorised = call(
        app, "/metrics", remote="203.0.113.9", HTTP_AUTHORIZATION="Bearer s3cret-token"
    )
    assert authorised[0] == 200
    settings.RAVABET_METRICS_ALLOW = ["203.0.113.0/24"]
    assert call(app, "/metrics", remote="203.0.113.9")[0] == 200
    assert call(app, "/metrics", remote="127.0.0.1")[0] == 403


def test_counts_of_several_processes_add_up(app):
    """Two server processes count into their own files; one scrape sums them."""
    script = (
        "import django, os; os.environ['DJANGO_SETTINGS_MODULE'] = 'ravabet.settings'; "
        "django.setup(); from ravabet.ops import metrics; "
        "[metrics.REQUESTS.labels(view='probe', status='200').inc() for _ in range(5)]"
    )
    before = samples(call(app, "/metrics")[2])
    for _ in range(2):
        subprocess.run([sys.executable, "-c", script], check=True, timeout=120)
    found = samples(call(app, "/metrics")[2])
    counted = value(found, "ravabet_http_requests_total", view="probe", status="200")
    assert counted - value(before, "ravabet_http_requests_total", view="probe", status="200") == 10


def test_a_lost_database_connection_is_a_503_to_retry(rf):
    from django.db import OperationalError

    from ravabet.ops.middleware import DatabaseUnavailableMiddleware

    middleware = DatabaseUnavailableMiddleware(lambda request: None)
    request = rf.post("/ilam/demands/new/")
    response = middleware.process_exception(
        request, OperationalError("server closed the connection")
    )
    assert response.status_code == 503 and response["Retry-After"] == "5"
    assert "دوباره بفرستید" in response.content.decode()
    assert middleware.process_exception(request, ValueError("a bug")) is None


def test_the_project_500_handler_also_answers_503_for_a_lost_connection(rf, db):
    from django.db import OperationalError

    from ravabet.urls import server_error

    request = rf.get("/")
    try:
        raise OperationalError("the connection was lost while the session was saved")
    except OperationalError:
        assert server_error(request).status_code == 503
    try:
        raise ValueError("a bug")
    except ValueError:
        assert server_error(request).status_code == 500


def test_a_lost_connection_in_front_of_django_is_a_503_too():
    from django.db import OperationalError

    from ravabet.ops.middleware import DatabaseGuard

    def fast_path(environ, start_response):
        raise OperationalError("connection refused")

    status, headers, body = call(DatabaseGuard(fast_path), "/")
    assert status == 503 and headers["Retry-After"] == "5"
    assert "دوباره بفرستید" in body.decode()


def test_views_are_named_in_either_language_whatever_language_is_active():
    from django.utils import translation

    metrics.view_name.cache_clear()
    with translation.override("en"):
        assert metrics.view_name("/news/") == metrics.view_name("/en/news/") != "not-found"
    metrics.view_name.cache_clear()
    with translation.override("fa"):
        assert metrics.view_name("/en/news/") == metrics.view_name("/news/")
    assert metrics.view_name("/static/x.css") == "static"
