"""Seed documents extracted once per session, shared by the loader tests."""

from __future__ import annotations

import pytest

from core.records import Extraction
from loaders.extract import extract_path
from settings import SAMPLE_CORPUS

SEEDS = SAMPLE_CORPUS / "seeds"


@pytest.fixture(scope="session")
def hundred_cities() -> Extraction:
    """The 百城百园 notice (000): no agency tags, a programme, a platform and a reporting line."""
    return extract_path(SEEDS / "000_ea2e05c557d4a99d.txt")


@pytest.fixture(scope="session")
def zones() -> Extraction:
    """The demonstration-zone notice (001): no title line, numbered top-level tasks."""
    return extract_path(SEEDS / "001_9b1470b7e4c19b99.txt")


@pytest.fixture(scope="session")
def cast() -> Extraction:
    """The 中国科协 action plan (004): traditional characters with pinyin, numbered tasks."""
    return extract_path(SEEDS / "004_9074e31cc9fe5553.txt")
