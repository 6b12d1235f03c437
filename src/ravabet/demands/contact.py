"""Contact details citizens type: the network's mobile-number rule (`network.contact`)."""

from ravabet.network.contact import normalize_mobile

__all__ = ["normalize_mobile"]
