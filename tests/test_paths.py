"""Where wenbao keeps things: the platform's user folders (platformdirs), XDG variables
winning on Linux, `wenbao paths` and `wenbao --version`."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import platformdirs
import pytest

from retrieval.config import load_config, user_config_path
from tui.cli import main


def test_xdg_variables_place_config_index_and_history(isolated_xdg):
    config = load_config()
    assert config.index_dir == isolated_xdg / "xdg_cache_home" / "wenbao"
    assert config.data_dir == isolated_xdg / "xdg_data_home" / "wenbao"
    assert user_config_path() == isolated_xdg / "xdg_config_home" / "wenbao" / "config.yaml"
    assert config.history_path().parent == config.data_dir


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the XDG defaults are Linux's")
def test_without_xdg_variables_linux_uses_the_home_folders(tmp_path, monkeypatch):
    for var in ("XDG_CONFIG_HOME", "XDG_CACHE_HOME", "XDG_DATA_HOME"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("HOME", str(tmp_path))
    config = load_config()
    assert config.index_dir == tmp_path / ".cache" / "wenbao"
    assert config.data_dir == tmp_path / ".local" / "share" / "wenbao"
    assert user_config_path() == tmp_path / ".config" / "wenbao" / "config.yaml"


def test_other_platforms_get_their_own_places_from_platformdirs(tmp_path, monkeypatch):
    """What platformdirs answers (~/Library/Caches on macOS, AppData on Windows) is used."""
    monkeypatch.setattr(platformdirs, "user_cache_path", lambda app, appauthor=None: tmp_path / "Caches" / app)
    monkeypatch.setattr(platformdirs, "user_data_path", lambda app, appauthor=None: tmp_path / "Support" / app)
    monkeypatch.setattr(platformdirs, "user_config_path", lambda app, appauthor=None: tmp_path / "Prefs" / app)
    config = load_config()
    assert config.index_dir == tmp_path / "Caches" / "wenbao"
    assert config.data_dir == tmp_path / "Support" / "wenbao"
    assert user_config_path() == tmp_path / "Prefs" / "wenbao" / "config.yaml"


def test_a_config_file_in_the_user_folder_is_read(isolated_xdg):
    folder = isolated_xdg / "xdg_config_home" / "wenbao"
    folder.mkdir(parents=True)
    (folder / "config.yaml").write_text("answers:\n  top: 7\n", encoding="utf-8")
    assert load_config().top == 7


def test_wenbao_paths_says_where_everything_is_before_and_after_indexing(corpus_copy, isolated_xdg, capsys):
    assert main(["paths", "--corpus", str(corpus_copy)]) == 0
    out = capsys.readouterr().out
    assert f"corpus       {corpus_copy}" in out
    assert str(isolated_xdg / "xdg_config_home" / "wenbao" / "config.yaml") in out and "none yet" in out
    assert "not built yet: wenbao index" in out and "history-corpus-" in out
    assert not (isolated_xdg / "xdg_cache_home").exists()  # looking builds nothing

    assert main(["index", str(corpus_copy)]) == 0
    capsys.readouterr()
    assert main(["paths", "--corpus", str(corpus_copy), "--format", "json", "--engine", "auto"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["index_built"] is True and data["paragraphs"] > 100
    assert data["engine"] == "auto" and data["engine_in_use"] == "rank-bm25"
    assert Path(data["index"]).parent == isolated_xdg / "xdg_cache_home" / "wenbao"
    assert Path(data["history"]).parent == isolated_xdg / "xdg_data_home" / "wenbao"
    assert data["corpus"] == str(corpus_copy) and data["version"]


def test_wenbao_version(capsys):
    with pytest.raises(SystemExit) as exit_:
        main(["--version"])
    assert exit_.value.code == 0
    out = capsys.readouterr().out
    assert out.startswith("wenbao ") and len(out.split()) == 2
