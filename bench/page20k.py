"""A WSGI application that answers every request with the same 20 KB HTML page: the servers'
own cost, with no Django in the way (bench/serve_compare.py)."""

from __future__ import annotations

_ROW = "<li><a href='/office/{0}/'>روابط عمومی دستگاه شماره {0}</a></li>\n"
_BODY = (
    "<!doctype html><html lang='fa' dir='rtl'><head><meta charset='utf-8'><title>آزمون</title>"
    "</head><body><ul>\n"
).encode()
_i = 0
while len(_BODY) < 20 * 1024 - 40:
    _BODY += _ROW.format(_i).encode()
    _i += 1
PAGE = _BODY + b"</ul></body></html>\n"


def application(environ, start_response):
    start_response(
        "200 OK",
        [("Content-Type", "text/html; charset=utf-8"), ("Content-Length", str(len(PAGE)))],
    )
    return [PAGE]
