"""Config files and front matter go through one bounded YAML reader: hostile YAML is an
error naming the file and line, never a traceback, a hang or gigabytes of memory."""

import os

import pytest
import yaml

from retrieval import safe_yaml
from retrieval.config import load_config
from retrieval.errors import ConfigError
from retrieval.loaders import read_file

BILLION_LAUGHS = "\n".join(
    ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    + [f"{c}: &{c} [" + ",".join([f"*{p}"] * 9) + "]" for p, c in zip("abcdefgh", "bcdefghi")]
    + ["title: *i"]
)


@pytest.mark.parametrize("text, words", [
    (BILLION_LAUGHS, "aliases expand"),
    ("x: " + "[" * 5000 + "]" * 5000, "nested deeper"),
    ("a: &a [1, *a]", "contains it"),
    ("x: !!float abc", "cannot read 'abc' as float"),
    ("x: !!int twelve", "cannot read 'twelve' as int"),
    ("x: " + "y" * (safe_yaml.MAX_CHARS + 1), "characters long"),
])
def test_hostile_yaml_is_a_yaml_error_with_a_reason(text, words):
    with pytest.raises(yaml.YAMLError) as caught:
        safe_yaml.parse(text)
    assert words in safe_yaml.problem(caught.value)


def test_timestamps_stay_text_and_ordinary_yaml_still_reads():
    data, node = safe_yaml.parse("date: 2021-02-30\nzero: 0000-00-00\nok: 2021-04-27\nlist: [1, 2.5, yes]\n"
                                 "base: &b {k: v}\nuse: *b\n")
    assert data == {"date": "2021-02-30", "zero": "0000-00-00", "ok": "2021-04-27", "list": [1, 2.5, True],
                    "base": {"k": "v"}, "use": {"k": "v"}}
    assert isinstance(node, yaml.MappingNode)


def _config(tmp_path, body: str):
    path = tmp_path / "config.yaml"
    path.write_text(body, encoding="utf-8")
    return path


@pytest.mark.parametrize("body, line, words", [
    ("corpus: x\nretrieval:\n  k1: 0\n", 3, "'retrieval.k1' must be a number above 0"),
    ("retrieval:\n  b: 1.5\n", 2, "'retrieval.b' must be a number from 0 to 1"),
    ("retrieval:\n  k1: .nan\n", 2, "'retrieval.k1'"),
    ("corpus: x\nretrieval: !!float abc\n", 2, "cannot read 'abc' as float"),
    ("corpus: x\n" + BILLION_LAUGHS.replace("title", "records"), 5, "aliases expand"),
    ("records:\n  text: " + "[" * 5000, 2, "nested deeper"),
])
def test_bad_config_values_name_file_and_line(tmp_path, body, line, words):
    path = _config(tmp_path, body)
    with pytest.raises(ConfigError) as caught:
        load_config(path)
    assert str(caught.value).startswith(f"{path}:{line}: ") and words in str(caught.value)


def test_config_that_is_not_a_regular_file_is_refused_without_reading_it(tmp_path):
    with pytest.raises(ConfigError, match="not a regular file"):
        load_config("/dev/zero")
    with pytest.raises(ConfigError, match="not a regular file"):
        load_config(tmp_path)
    fifo = tmp_path / "fifo.yaml"
    os.mkfifo(fifo)  # opening it would block forever: it must not be opened
    with pytest.raises(ConfigError, match="not a regular file"):
        load_config(fifo)


def test_huge_config_is_refused_by_size(tmp_path):
    path = _config(tmp_path, "# " + "x" * 400_000 + "\n")
    with pytest.raises(ConfigError, match="larger than"):
        load_config(path)


def _page(tmp_path, text):
    path = tmp_path / "p.txt"
    path.write_text(text, encoding="utf-8")
    warnings = []
    docs = read_file(path, tmp_path, {}, warnings.append)
    return docs, warnings


@pytest.mark.parametrize("value", ["2021-02-30", "0000-00-00", "2021-13-01 08:00:00"])
def test_impossible_front_matter_date_is_a_warning_at_its_line(tmp_path, value):
    docs, warnings = _page(tmp_path, f"---\ntitle: 标题\ndate: {value}\n---\n正文。\n")
    assert warnings == [f"p.txt:3: front matter date {value!r} is not a real date; ignored"]
    assert docs[0].meta == {"title": "标题"} and docs[0].text == "正文。\n"


@pytest.mark.parametrize("block, line, words", [
    ("date: !!float abc", 2, "cannot read 'abc'"),
    (BILLION_LAUGHS, 5, "aliases expand"),  # where the count passes the bound
    ("x: " + "{a: " * 3000 + "}" * 3000, 2, "nested deeper"),
])
def test_hostile_front_matter_warns_and_the_page_is_still_read(tmp_path, block, line, words):
    docs, warnings = _page(tmp_path, f"---\n{block}\n---\n正文。\n")
    assert len(warnings) == 1 and warnings[0].startswith(f"p.txt:{line}: ") and words in warnings[0]
    assert docs and docs[0].text.endswith("正文。\n")
