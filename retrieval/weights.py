"""Fitted weights of the quote chooser and the passage re-rank (written by bench/fit_answers.py).

Fitted on the CMRC 2018 trial split: a conditional logit (softmax over one question's
candidates; gradient ascent, L2 1e-3), then coordinate ascent on top-1 accuracy.
Regenerate: python -m bench.fit_answers --write. Checked on the other split:
  windows  top-1 on trial 0.851 -> 0.894, on the other split 0.891 -> 0.904 (973/3212 questions with a choice)
  re-rank  top-1 on trial 0.938 -> 0.988, on the other split 0.928 -> 0.986 (864/2893 questions with a choice)
"""

WINDOW_WEIGHTS = (
    +9.348,  # coverage
    +7.259,  # bigrams
    +0.991,  # typed
    +2.196,  # typed_near
    +2.054,  # lead
    +0.396,  # position
    +1.410,  # length
    +2.321,  # sentences
    +2.347,  # list_marks
    +0.585,  # announces
    +3.000,  # dateline (hand-set: CMRC has none)
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
