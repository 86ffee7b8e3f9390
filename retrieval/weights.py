"""Fitted weights of the quote chooser and the passage re-rank (written by bench/fit_answers.py).

Fitted on the CMRC 2018 trial split: a conditional logit (softmax over one question's
candidates; gradient ascent, L2 1e-3), then coordinate ascent on top-1 accuracy; the
window weights under a constraint on the median quote's length (bench/fit_answers.py).
Regenerate: python -m bench.fit_answers --max-median 76 --start logit --no-polish --windows-only --write. Checked on the other split:
  windows  on trial (1000 questions): answer in the chosen window 0.867 -> 0.868, median window 76 -> 76 characters
  windows  on the other split (3219 questions): answer in the chosen window 0.908 -> 0.914, median window 78 -> 77 characters
"""

WINDOW_WEIGHTS = (
    +2.286,  # coverage
    +4.270,  # bigrams
    +0.759,  # typed
    +1.047,  # typed_near
    +1.726,  # lead
    +0.167,  # position
    -1.510,  # length
    +1.393,  # sentences
    +1.023,  # list_marks
    +0.038,  # announces
    +3.000,  # dateline (hand-set: CMRC has none)
    +3.238,  # chars
)

RERANK_WEIGHTS = (
    +6.011,  # bm25
    +0.960,  # first
    +0.086,  # window
    -0.996,  # typed
    +4.889,  # coverage
    +2.000,  # dateline (hand-set: CMRC has none)
    -2.000,  # caption (hand-set: CMRC has none)
)
