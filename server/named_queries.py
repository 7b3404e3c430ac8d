"""Placeholder so server.app can include this router; filled in by the web helper."""
from fastapi import APIRouter

router = APIRouter()
