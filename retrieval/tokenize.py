"""One tokenisation path for documents and questions.

    text -> fold (normalize.py) -> jieba -> sub-words, number/date tokens -> stop words out

Documents are cut with jieba's full dictionary (plus the user dictionary). A question
is cut by the same jieba algorithm over the index's *lexicon* — the dictionary words
that occur in the corpus, with their jieba frequencies. A word that is not in the
corpus cannot score anyway, and loading a few thousand lexicon words instead of
jieba's 350,000-word dictionary is what lets a cold `wenbao ask` start in a fraction
of jieba's own start-up time.
"""

from __future__ import annotations

import hashlib
import logging
import re
import sys
from collections.abc import Mapping
from functools import lru_cache
from pathlib import Path

from .config import Config, resource_path
from .errors import ConfigError
from .normalize import fold, fold_table_digest

TOKENIZER_VERSION = 7  # bump when the token stream changes: existing indexes get rebuilt


def _import_jieba():
    """jieba, imported without pkg_resources.

    jieba only uses pkg_resources to open its own data files and falls back to a plain
    open() when the import fails; pkg_resources alone costs a cold `wenbao ask` about
    0.2 s (and a deprecation warning on new setuptools).
    """
    if "jieba" in sys.modules:
        return sys.modules["jieba"]
    blocked = "pkg_resources" not in sys.modules
    if blocked:
        sys.modules["pkg_resources"] = None  # type: ignore[assignment]  # makes the import fail fast
    try:
        import jieba as module
    finally:
        if blocked:
            del sys.modules["pkg_resources"]
    module.setLogLevel(logging.WARNING)
    return module


jieba = _import_jieba()

# A token must hold a letter, a digit or a CJK ideograph; punctuation never ranks.
_WORDLIKE = re.compile(r"[0-9a-z\u3400-\u9fff\uf900-\ufaff]")
# Numbers with units and dates stay findable as one token ("13.56万元", "1月7日").
# A number starts after a non-digit: trying every digit of a 20,000-digit run as a start
# made this quadratic (23 s).
_NUMBER_UNIT = re.compile(
    r"(?<!\d)(?:\d+(?:\.\d+)?%|\d+(?:\.\d+)?[万亿千百]?(?:余|多)?(?:元|美元|人|家|个|项|名|吨|公里|千米|米|"
    r"平方米|亩|户|次|岁|倍|张|所|座|台|辆|件|期|批|条|篇|本|场|届|周年|万|亿))"
)
_DATE = re.compile(r"\d{4}年(?:\d{1,2}月(?:\d{1,2}日)?)?|\d{1,2}月\d{1,2}日")
_MAX_WORD = 16
# A word jieba's HMM found in the corpus (a name like 于乐) has no dictionary frequency.
# Cutting a question, it must still beat its own characters (于 + 乐), as it did in the page.
NEW_WORD_FREQ = 50
# The longest unbroken run tokenised as one (see _pieces); jieba's own block characters.
MAX_RUN = 200
_RUN_CHAR = r"[\w+#&.%\-]"
_LONG_RUN = re.compile(rf"(?<!{_RUN_CHAR}){_RUN_CHAR}{{{MAX_RUN + 1},}}")  # only run starts are tried
_CJK_CHAR = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
_CJK_RUN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]{2,}")
# characters that make a pair no more findable: particles, copulas, conjunctions
_FUNCTION_CHARS = frozenset("的了是在和与及也都就而等之其这那个们着过为以于被把对从向到将并或")
BIGRAM_MARK = "\u00b7"  # bigram terms live in their own namespace: "·技能"  # longest lexicon word considered when cutting a question


def _read_word_list(path: Path, what: str) -> list[str]:
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: cannot read the {what} ({exc}); fix tokenizer settings in config") from None
    return [line.strip() for line in text.splitlines() if line.strip() and not line.startswith("#")]


@lru_cache(maxsize=8)
def _stopwords(path: Path | None, fold_traditional: bool) -> frozenset[str]:
    words = _read_word_list(path or resource_path("stopwords.txt"), "stop-word list")
    return frozenset(fold(w, fold_traditional) for w in words)


def _user_dict_lines(config: Config) -> list[str]:
    lines = _read_word_list(resource_path("userdict.txt"), "user dictionary")
    if config.user_dict is not None:
        lines += _read_word_list(config.user_dict, "user dictionary")
    return lines


class Analyzer:
    """Turns text into index terms. `lexicon` None: jieba's full dictionary (documents)."""

    def __init__(self, config: Config, lexicon: Mapping[str, int] | None = None) -> None:
        self.fold_traditional = config.fold_traditional
        self.char_bigrams = config.char_bigrams
        self.stopwords = _stopwords(config.stopwords, config.fold_traditional)
        self._user_lines = _user_dict_lines(config)
        self._lexicon = lexicon
        self._jieba: jieba.Tokenizer | None = None

    # -- identity ---------------------------------------------------------------
    def fingerprint(self) -> str:
        """Changes whenever the same text would be cut into different terms."""
        h = hashlib.blake2b(digest_size=8)
        for part in (str(TOKENIZER_VERSION), jieba.__version__, str(self.fold_traditional), str(self.char_bigrams),
                     fold_table_digest(),
                     "\n".join(sorted(self.stopwords)), "\n".join(self._user_lines)):
            h.update(part.encode("utf-8") + b"\0")
        return h.hexdigest()

    # -- jieba --------------------------------------------------------------------
    def _tokenizer(self) -> jieba.Tokenizer:
        if self._jieba is None:
            tk = jieba.Tokenizer()
            if self._lexicon is None:
                tk.initialize()
                if self.fold_traditional:
                    _fold_dictionary(tk)
                for line in self._user_lines:
                    parts = line.split()
                    freq = int(parts[1]) if len(parts) > 1 and parts[1].isdigit() else None
                    tk.add_word(fold(parts[0], self.fold_traditional), freq)
            else:
                tk.FREQ, tk.total = _prefix_dict(self._lexicon)
                tk.initialized = True
            self._jieba = tk
        return self._jieba

    def word_freq(self, word: str) -> int:
        """jieba's frequency for a word; NEW_WORD_FREQ for words its HMM made up (names)."""
        return self._tokenizer().FREQ.get(word) or NEW_WORD_FREQ

    def question_words(self, min_freq: int = 500) -> dict[str, int]:
        """Common dictionary words and the stop words, with their frequencies.

        Stored beside the index so a question is cut into whole words even where the
        corpus lacks them ("多少" stays one word, not 多 + 少).
        """
        freq = self._tokenizer().FREQ
        words = {w: f for w, f in freq.items() if f >= min_freq}
        words.update({w: freq.get(w) or 1000 for w in self.stopwords})
        return words

    def _known(self, word: str) -> bool:
        return bool(self._tokenizer().FREQ.get(word))

    # -- terms ----------------------------------------------------------------------
    def spans(self, text: str) -> list[tuple[str, int, int]]:
        """(term, start, end) over `text`; offsets are valid in the original text."""
        folded = fold(text, self.fold_traditional)
        pieces = _pieces(folded)
        if len(pieces) == 1:
            return self._piece_spans(folded)
        out: list[tuple[str, int, int]] = []
        for start, end in pieces:
            out.extend((term, s + start, e + start) for term, s, e in self._piece_spans(folded[start:end]))
        return out

    def _piece_spans(self, folded: str) -> list[tuple[str, int, int]]:
        tk = self._tokenizer()
        hmm = self._lexicon is None  # questions: only words the corpus has
        out: list[tuple[str, int, int]] = []
        words = list(tk.tokenize(folded, HMM=hmm))
        if not hmm:
            words = _join_unknown_runs(words, self.stopwords)
        for word, start, end in words:
            if word in self.stopwords or not _WORDLIKE.search(word):
                continue
            if end - start > 2:  # sub-words of long words, as jieba's search mode does
                for n in (2, 3):
                    if end - start > n:
                        for i in range(start, end - n + 1):
                            sub = folded[i:i + n]
                            if self._known(sub) and sub not in self.stopwords:
                                out.append((sub, i, i + n))
            out.append((word, start, end))
        if self.char_bigrams:
            for m in _CJK_RUN.finditer(folded):
                run = m.group()
                for i in range(len(run) - 1):
                    if run[i] not in _FUNCTION_CHARS and run[i + 1] not in _FUNCTION_CHARS:
                        out.append((BIGRAM_MARK + run[i:i + 2], m.start() + i, m.start() + i + 2))
        for pattern in (_NUMBER_UNIT, _DATE):
            for m in pattern.finditer(folded):
                if m.end() - m.start() > 1 and not m.group().isdigit():
                    out.append((m.group(), m.start(), m.end()))
        return out

    def terms(self, text: str) -> list[str]:
        return [term for term, _, _ in self.spans(text)]


def _pieces(folded: str) -> list[tuple[int, int]]:
    """(start, end) stretches of `folded` to tokenise, in which no unbroken run is longer
    than MAX_RUN.

    A run jieba cuts as one block (ideographs, letters, digits, ".", "%" ... with no space
    or punctuation) costs it more than linear time: a 2 MB line of letters took 48 s. A
    longer run of ideographs is cut every MAX_RUN characters (old pages may print no
    punctuation at all; at most the word at each cut is lost). A longer run without
    ideographs is no word anyone asks for (a base64 blob, a line of digits, OCR noise):
    only its first MAX_RUN characters are tokenised.
    """
    pieces: list[tuple[int, int]] = []
    pos = 0
    for m in _LONG_RUN.finditer(folded):
        start, end = m.span()
        if _CJK_CHAR.search(folded, start, end):
            for cut in range(start + MAX_RUN, end, MAX_RUN):
                pieces.append((pos, cut))
                pos = cut
        else:
            pieces.append((pos, start + MAX_RUN))
            pos = end
    pieces.append((pos, len(folded)))
    return pieces


def _fold_dictionary(tk: jieba.Tokenizer) -> None:
    """Give jieba the folded form of each dictionary word that folding changes.

    Documents are cut after folding, so a word is found only if its folded form is in
    the dictionary: 著名 folds to 着名, 乾隆 to 干隆 (one character for one, see
    normalize.py), a traditional entry like 電腦 to 电脑. The folded form gets the
    word's frequency unless it is a more frequent word of its own already.
    """
    freq = tk.FREQ
    for word, count in [(w, c) for w, c in freq.items() if c]:
        folded = fold(word)
        if folded != word and freq.get(folded, 0) < count:
            tk.add_word(folded, count)


def _join_unknown_runs(words: list[tuple[str, int, int]], stopwords: frozenset[str]) -> list[tuple[str, int, int]]:
    """A question's run of single ideographs is a word the lexicon lacks ("超导" cut to
    超 + 导): keep it whole, so it cannot match stray characters, and it still counts as
    a word the corpus does not have."""
    out: list[tuple[str, int, int]] = []
    run: list[tuple[str, int, int]] = []

    def flush() -> None:
        if len(run) > 1:
            out.append(("".join(w for w, _, _ in run), run[0][1], run[-1][2]))
        else:
            out.extend(run)
        run.clear()

    for word, start, end in words:
        single = len(word) == 1 and "\u4e00" <= word <= "\u9fff" and word not in stopwords
        if single and (not run or run[-1][2] == start):
            run.append((word, start, end))
            continue
        flush()
        if single:
            run.append((word, start, end))
        else:
            out.append((word, start, end))
    flush()
    return out


def _prefix_dict(lexicon: Mapping[str, int]) -> tuple[dict[str, int], int]:
    """jieba's prefix dictionary over the lexicon words only."""
    freq: dict[str, int] = {}
    total = 0
    for word, count in lexicon.items():
        if len(word) > _MAX_WORD or word.startswith(BIGRAM_MARK):
            continue
        freq[word] = count
        total += count
        for i in range(1, len(word)):
            freq.setdefault(word[:i], 0)
    # jieba's route scores words against the whole dictionary's total; keep the
    # scale of the full dictionary so single characters are not over-favoured.
    return freq, max(total, 60_000_000)
