"""Snippets that follow the practices: the catalog, where each one fits, and the imports it
needs. Plain data only; the language server turns it into completion items."""

from fastapi_practices.snippets.catalog import BY_LABEL, PREFIX, SNIPPETS, Snippet
from fastapi_practices.snippets.context import Offer, Place, offer_for, offers, place_for

__all__ = [
    "BY_LABEL",
    "PREFIX",
    "SNIPPETS",
    "Offer",
    "Place",
    "Snippet",
    "offer_for",
    "offers",
    "place_for",
]
