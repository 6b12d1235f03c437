"""What the search index holds: one row per indexed document, fed by other apps.

The full-text structures live beside this table and are owned by `backends.py`:
an FTS5 virtual table on SQLite, a generated tsvector column with a GIN index (and a
pg_trgm vocabulary) on PostgreSQL. Both are created by this app's migrations.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from ravabet.network.models import Office


class SearchDocument(models.Model):
    # Small columns first: SQLite stores a row's columns in this order, and filters read
    # them without walking the overflow pages of the long texts after them.
    source = models.CharField(_("source"), max_length=40)
    key = models.CharField(_("key"), max_length=100)
    office = models.ForeignKey(Office, on_delete=models.CASCADE, related_name="+")
    language = models.CharField(_("language"), max_length=8, default="fa")
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    is_public = models.BooleanField(_("public"), default=True)
    group = models.CharField(_("group"), max_length=100, blank=True, default="")
    group_title = models.CharField(_("group title"), max_length=200, blank=True, default="")
    # "|tag one|tag two|" so that one tag is found with a LIKE on both databases.
    tags = models.TextField(_("tags"), blank=True, default="")
    # A news address holds a percent-encoded Persian slug (about six characters a
    # letter), so no short limit fits: PostgreSQL enforces a varchar's length, SQLite
    # does not, and one long title used to stop a whole import's indexing.
    url = models.TextField(_("address"))
    title = models.TextField(_("title"))
    over_title = models.TextField(_("over-title"), blank=True, default="")
    text = models.TextField(_("text"), blank=True, default="")
    # The analysed text (space-separated terms) the full-text structures are built from.
    title_terms = models.TextField(blank=True, default="")
    body_terms = models.TextField(blank=True, default="")
    # The owner of a non-public document (a draft's author), a user id kept without a foreign
    # key: the permission rule compares it with the searcher's id (network.permissions.reach).
    owner_id = models.IntegerField(_("owner"), null=True, blank=True)

    class Meta:
        db_table = "search_document"
        verbose_name = _("search document")
        verbose_name_plural = _("search documents")
        constraints = [
            models.UniqueConstraint(fields=["source", "key"], name="search_document_source_key")
        ]
        indexes = [models.Index(fields=["published_at"], name="search_doc_published")]

    def __str__(self) -> str:
        return f"{self.source}:{self.key}"

    @property
    def tag_list(self) -> list[str]:
        return [t for t in self.tags.split("|") if t]


class SearchTerm(models.Model):
    """Vocabulary with document counts, for "did you mean" and the fuzzy fallback.

    PostgreSQL keeps it on every write (with a pg_trgm index for similar spellings);
    SQLite reads the same numbers from an fts5vocab table instead, so this table stays
    empty there.
    """

    term = models.CharField(max_length=200, primary_key=True)
    documents = models.IntegerField(default=0)

    class Meta:
        db_table = "search_term"

    def __str__(self) -> str:
        return self.term
