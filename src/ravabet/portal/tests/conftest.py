"""The portal's pages show the other apps' content: their fixtures, shared here."""

from ravabet.comments.tests.conftest import comment_form, item, submit_url  # noqa: F401
from ravabet.news.tests.conftest import _empty_view_buffer, _media, group, people, publish  # noqa: F401
