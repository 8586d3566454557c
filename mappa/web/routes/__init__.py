"""The pages, one module per area; each module's ``area`` declares its routes with their roles."""

from __future__ import annotations

from mappa.web.auth import Area
from mappa.web.routes import account, documents, qa, records, review, shred, social

ALL_AREAS: tuple[Area, ...] = (account.area, documents.area, review.area, records.area, shred.area, qa.area,
                               social.area)
