import logging

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

# Tables whose SQL, logged in order, would pair a roll line with a ballot (docs/elections.md).
SECRET_TABLES = ("elections_ballot", "elections_elector", "elections_inroomcode")


class VotingSqlFilter(logging.Filter):
    """Keep the SQL of the voting tables out of Django's query log (DEBUG or a debug cursor):
    the UPDATE of a roll line followed by the INSERT of a ballot would be the link itself."""

    def filter(self, record: logging.LogRecord) -> bool:
        sql = str(getattr(record, "sql", "") or record.msg)
        return not any(table in sql for table in SECRET_TABLES)


class ElectionsConfig(AppConfig):
    name = "ravabet.elections"
    label = "elections"
    verbose_name = _("Elections")

    def ready(self) -> None:
        logger = logging.getLogger("django.db.backends")
        if not any(isinstance(f, VotingSqlFilter) for f in logger.filters):
            logger.addFilter(VotingSqlFilter())
