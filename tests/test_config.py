"""Config: documented defaults, user overrides, and errors that name file, line and key."""

from pathlib import Path

import pytest

from retrieval.config import bundled_path, load_config
from retrieval.errors import ConfigError


def test_defaults_point_at_the_bundled_corpus():
    config = load_config()
    assert config.corpus.resolve() == (bundled_path("config.yaml").parent / "corpus").resolve()
    assert config.engine == "auto" and config.top == 3 and config.fold_traditional


def test_xdg_user_config_overrides_only_what_it_names(isolated_xdg):
    folder = isolated_xdg / "xdg_config_home" / "wenbao"
    folder.mkdir(parents=True)
    (folder / "config.yaml").write_text("answers:\n  top: 7\ncorpus: papers\n", encoding="utf-8")
    config = load_config()
    assert config.top == 7
    assert config.corpus == folder / "papers"  # relative to the config file
    assert config.engine == "auto"  # untouched default


def test_command_line_overrides_win(tmp_path):
    cfg = tmp_path / "c.yaml"
    cfg.write_text("retrieval:\n  engine: bm25s\n", encoding="utf-8")
    assert load_config(cfg, engine="rank-bm25", top=9).engine == "rank-bm25"
    assert load_config(cfg, top=9).top == 9


@pytest.mark.parametrize("text, line, words", [
    ("corpus: x\nretreival:\n  engine: bm25s\n", 2, ["unknown key", "retreival"]),
    ("retrieval:\n  k1: fast\n", 2, ["retrieval.k1", "number"]),
    ("retrieval:\n  engine: fastest\n", 2, ["retrieval.engine", "rank-bm25"]),
    ("answers:\n  top: 0\n", 2, ["answers.top"]),
    ("tokenizer:\n  fold_traditional: maybe\n", 2, ["fold_traditional", "true or false"]),
    ("corpus: [unclosed\n", 1, ["invalid YAML"]),
    ("- just\n- a list\n", 1, ["mapping"]),
])
def test_invalid_config_names_file_line_and_key(tmp_path, text, line, words):
    cfg = tmp_path / "bad.yaml"
    cfg.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError) as err:
        load_config(cfg)
    message = str(err.value)
    assert message.startswith(f"{cfg}:{line}:") or (f"{cfg}:" in message and line == 1), message
    for word in words:
        assert word in message


def test_missing_config_file_is_a_clear_error(tmp_path):
    with pytest.raises(ConfigError, match="not found"):
        load_config(tmp_path / "nope.yaml")


def test_yaml_tags_that_would_run_code_are_refused(tmp_path):
    cfg = tmp_path / "evil.yaml"
    cfg.write_text("corpus: !!python/object/apply:os.system ['echo hacked']\n", encoding="utf-8")
    with pytest.raises(ConfigError):
        load_config(cfg)


def test_config_yaml_at_the_top_is_the_one_loaded():
    assert Path(load_config().files[0]).name == "config.yaml"
