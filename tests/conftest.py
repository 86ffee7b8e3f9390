"""Shared fixtures. Every test runs with its own XDG folders: no user config, cache
or history is read or written."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from retrieval.config import load_config

REPO = Path(__file__).resolve().parent.parent
SAMPLE_CORPUS = REPO / "corpus"


@pytest.fixture(autouse=True)
def isolated_xdg(tmp_path_factory, monkeypatch):
    base = tmp_path_factory.mktemp("xdg")
    for var in ("XDG_CONFIG_HOME", "XDG_CACHE_HOME", "XDG_DATA_HOME"):
        monkeypatch.setenv(var, str(base / var.lower()))
    monkeypatch.delenv("NO_COLOR", raising=False)
    return base


@pytest.fixture(scope="session")
def sample_index_dir(tmp_path_factory) -> Path:
    """One index of the bundled corpus, built once per test session."""
    return tmp_path_factory.mktemp("sample-index")


@pytest.fixture(scope="session")
def sample_archive(sample_index_dir):
    from retrieval.search import Archive

    config = _config_with(sample_index_dir, SAMPLE_CORPUS)
    return Archive.open(config)


def _config_with(index_dir: Path, corpus: Path, **extra):
    cfg = index_dir / "config.yaml"
    lines = [f"corpus: {corpus}", f"index_dir: {index_dir / 'index'}", f"data_dir: {index_dir / 'data'}"]
    if extra.get("engine"):
        lines.append(f"retrieval:\n  engine: {extra['engine']}")
    cfg.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return load_config(cfg)


def archive_of_pages(root: Path, pages: dict[str, str]):
    """An archive of made-up files (name -> text: pages, or JSONL records), its corpus and index under `root`."""
    from retrieval.search import Archive

    corpus = root / "corpus"
    corpus.mkdir()
    for name, text in pages.items():
        (corpus / name).write_text(text, encoding="utf-8")
    return Archive.open(_config_with(root, corpus))


@pytest.fixture
def corpus_copy(tmp_path) -> Path:
    """A writable copy of the sample corpus."""
    target = tmp_path / "corpus"
    shutil.copytree(SAMPLE_CORPUS, target)
    return target


@pytest.fixture
def make_config(tmp_path):
    """make_config(corpus, engine=None) -> Config with its index under tmp_path."""

    def make(corpus: Path, engine: str | None = None):
        folder = tmp_path / f"cfg-{engine or 'auto'}"
        folder.mkdir(exist_ok=True)
        return _config_with(folder, corpus, engine=engine)

    return make
