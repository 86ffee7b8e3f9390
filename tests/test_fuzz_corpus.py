"""Seeded fuzz of corpus files and front matter: random bytes and encodings, NULs, broken
JSON/CSV/YAML, hostile YAML (tags, aliases, nesting, impossible dates), odd file names.

Every file either reads or is skipped with a reason (no exception escapes the reader),
and the commands over the whole fuzzed corpus exit 0, 1 or 2 with output that is valid
UTF-8 and holds no control characters. Seeded, so a failure reproduces; small, so it
runs in CI in seconds.
"""

import json
import os
import random
import re

import pytest

from retrieval.loaders import SkipFile, read_file
from tui.cli import main

SEED = int(os.environ.get("WENBAO_FUZZ_SEED", "20261121"))  # another seed explores further
FILES = 120
CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff]")
WORDS = ["城市更新行动", "揭榜挂帅", "本报讯", "1月7日", "发放补助1.14亿元", "（下转第3版）", "記者", "２０２１年",
         "\x1b[2J", "\x9b31m", "[bold]x[/]", "\u202e", "\ufeff", "\x00", "\r", "\t", "—", "　", "\\ud800", "😀"]
YAML_VALUES = ["2021-02-30", "0000-00-00", "!!float abc", "!!int x", "!!timestamp nope", "!!binary ###",
               "&a [1, *a]", "*undefined", "[" * 200, "{a: " * 100, "!!python/object:os.system ls", "'unclosed",
               "2021-04-27 08:30:00", "No", "07", "~", "[1, 2]", "{x: y}", "\"\\ud800\"", "\"\\x9b\"", "@bad", "|\n  block"]
NAMES = ["p{}.txt", "p{}.md", "r{}.jsonl", "r{}.json", "t{}.csv", "t{}.tsv", "\x1b]0;x\x07{}.txt", "sp ace {}.txt",
         "{}.TXT", "-{}.txt", "{}\u202e.txt", "名{}.md"]


def _text(rng: random.Random, n: int) -> str:
    return "".join(rng.choice(WORDS) if rng.random() < 0.3 else rng.choice("的一是在不了有和人这中大为上个国我以要他\n。，")
                   for _ in range(n))


def _front_matter(rng: random.Random) -> str:
    keys = ["title", "date", "source", "paper", "page", "x"]
    lines = [f"{rng.choice(keys)}: {rng.choice(YAML_VALUES) if rng.random() < 0.6 else _text(rng, 5)}"
             for _ in range(rng.randint(0, 4))]
    closing = rng.choice(["---", "...", "", "--- "])
    return "---\n" + "\n".join(lines) + f"\n{closing}\n"


def _json_record(rng: random.Random) -> str:
    record = {rng.choice(["text", "content", "body", "title", "date", "TEXT"]): rng.choice(
        [_text(rng, 20), None, 3, ["a", "b"], {"x": 1}, "", "2021-02-30"]) for _ in range(rng.randint(0, 4))}
    line = json.dumps(record, ensure_ascii=rng.random() < 0.5)
    if rng.random() < 0.2:
        line = line[: rng.randint(0, len(line))]  # cut off
    if rng.random() < 0.1:
        line = line.replace("a", "\\ud800", 1)
    return line


def _content(rng: random.Random, suffix: str) -> bytes:
    kind = rng.random()
    if kind < 0.1:
        return bytes(rng.getrandbits(8) for _ in range(rng.randint(0, 300)))
    if suffix in (".jsonl", ".json"):
        lines = [_json_record(rng) for _ in range(rng.randint(0, 6))]
        text = "\n".join(lines) if suffix == ".jsonl" else rng.choice(["[", '{"records": [', ""]) + ",".join(lines) + rng.choice(["]", "]}", ""])
    elif suffix in (".csv", ".tsv"):
        sep = "\t" if suffix == ".tsv" else rng.choice([",", ";"])
        rows = [sep.join(rng.choice(['"', "text", "title", _text(rng, 8), '""', "\n"]) for _ in range(rng.randint(1, 4)))
                for _ in range(rng.randint(0, 6))]
        text = "\n".join(rows)
    else:
        text = (_front_matter(rng) if rng.random() < 0.7 else "") + _text(rng, rng.randint(0, 400))
    encoding = rng.choice(["utf-8", "utf-8", "utf-8-sig", "utf-16", "gb18030", "big5", "latin-1"])
    data = text.encode(encoding, errors="replace") if encoding != "utf-8" else text.encode("utf-8", "surrogatepass")
    if rng.random() < 0.1:
        spot = rng.randint(0, len(data))
        data = data[:spot] + b"\x00\xff\xfe" + data[spot:]
    return data


@pytest.fixture(scope="module")
def fuzz_corpus(tmp_path_factory):
    rng = random.Random(SEED)
    base = tmp_path_factory.mktemp("fuzz")
    corpus = base / "corpus"
    corpus.mkdir()
    for n in range(FILES):
        name = rng.choice(NAMES).format(n)
        suffix = os.path.splitext(name)[1].lower()
        raw = os.fsencode(name)
        if rng.random() < 0.15:
            raw = raw.replace(b"p", b"\xff\xfe", 1)  # not UTF-8
        with open(os.path.join(os.fsencode(corpus), raw), "wb") as handle:
            handle.write(_content(rng, suffix if suffix != ".txt" else ".txt"))
    config = base / "config.yaml"
    config.write_text(f"corpus: {corpus}\nindex_dir: {base / 'index'}\ndata_dir: {base / 'data'}\n", encoding="utf-8")
    return corpus, str(config)


def _clean(text: str) -> bool:
    text.encode("utf-8")  # a lone surrogate raises
    return not CONTROL.search(text.replace("\n", ""))


def test_every_fuzzed_file_reads_or_is_skipped_with_a_reason(fuzz_corpus):
    corpus, _ = fuzz_corpus
    outcomes = {"read": 0, "skipped": 0}
    for name in sorted(os.listdir(corpus)):
        warnings = []
        try:
            docs = read_file(corpus / name, corpus, {"text": ("text", "content", "body")}, warnings.append)
        except SkipFile as exc:
            assert exc.reason
            outcomes["skipped"] += 1
            continue
        outcomes["read"] += 1
        for doc in docs:
            doc.path.encode("utf-8")
            doc.text.encode("utf-8")
            for value in doc.meta.values():
                value.encode("utf-8")
    assert outcomes["read"] > FILES // 3 and outcomes["skipped"] > 0  # the generator makes both


@pytest.mark.parametrize("argv", [
    ["inspect", "--format", "jsonl"],
    ["inspect"],
    ["index", "--format", "json"],
    ["ask", "城市更新行动 揭榜挂帅 本报讯", "--format", "json"],
    ["ask", "城市更新行动", "--format", "markdown"],
    ["ask", "揭榜挂帅", "--since", "２０２１", "-k", "10"],
])
def test_commands_over_the_fuzzed_corpus_exit_cleanly_with_clean_output(fuzz_corpus, capsys, argv):
    _, config = fuzz_corpus
    code = main([*argv, "--config", config])
    out, err = capsys.readouterr()
    assert code in (0, 1, 2)
    assert _clean(out), [line for line in out.splitlines() if not _clean(line)][:3]
    assert _clean(err), [line for line in err.splitlines() if not _clean(line)][:3]
    if "jsonl" in argv:
        for line in out.splitlines():
            json.loads(line)
    elif "json" in argv:
        json.loads(out)
