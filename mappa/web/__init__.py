"""The web pages for the QA manager, admin staff, MAPPA representatives and social workers."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from fastapi import FastAPI

    from mappa.service import Runtime


def create_app(runtime: Runtime, **kw: Any) -> FastAPI:
    from mappa.web.app import create_app as _create

    return _create(runtime, **kw)


__all__ = ["create_app"]
