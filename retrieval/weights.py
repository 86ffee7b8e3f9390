"""Fitted weights of the quote chooser and the passage re-rank (written by bench/fit_answers.py).

Fitted on the CMRC 2018 trial split, checked on dev: conditional logits (softmax over one
question's candidates; gradient ascent, L2 1e-3 per question), the window weights under a
constraint on the median quote's length (bench/fit_answers.py). The weights before the
last two features: logit, then coordinate ascent (--start current). Then each new feature
was fitted alone, the other weights kept (--only; no coordinate ascent: on 1,000 trial
questions it fits them, not dev):
  python -m bench.fit_answers --max-median 76 --start current --only chars --no-polish --windows-only --write
  windows  on trial (1000 questions): answer in the chosen window 0.867 -> 0.866, median window 76 -> 75 characters
  windows  on the other split (3219 questions): answer in the chosen window 0.908 -> 0.911, median window 78 -> 76 characters
  python -m bench.fit_answers --max-median 76 --start current --only names_title --no-polish --write
  re-rank  top-1 on trial 0.938 -> 0.951, on the other split 0.943 -> 0.970 (162/700 questions with a choice)
Describe and why questions' features, fitted together, the rest kept (after the describe
synonyms and the alias/why question forms, which moved trial 0.866 -> 0.866, dev 0.911 -> 0.912):
  python -m bench.fit_answers --max-median 76 --start current --only attribute_opens,cause --no-polish --windows-only
  windows  on trial (1000 questions): answer in the chosen window 0.866 -> 0.870, median window 75 -> 75 characters
  windows  on the other split (3219 questions): answer in the chosen window 0.912 -> 0.914, median window 77 -> 76 characters
Then (a describe question's subject counted as known: dev 0.914 -> 0.914, 2941 -> 2943) the
what-is-X feature, fitted alone the same way:
  python -m bench.fit_answers --max-median 76 --start current --only defines --no-polish --windows-only
  windows  on trial (1000 questions): answer in the chosen window 0.870 -> 0.870, median window 75 -> 75 characters
  windows  on the other split (3219 questions): answer in the chosen window 0.914 -> 0.915, median window 76 -> 76 characters
Factoid questions (branch window) add no weight: a window stating the relation a question
asks of its subject (relations.py) earns the question's relation word in `coverage`, with
answers.RELATION_CREDIT = 1.0, chosen on trial (0.8 and 1.0 tie on dev; 1.0 keeps trial 0.866).
Windows with the weights above, before -> after the relations and typed spans: trial 0.866 ->
0.869, dev 0.911 -> 0.922 (alone); with the describe/why features merged: 0.873 / 0.927.
Describe questions' windows may then span three sentences (answers._DESCRIBE_RUN; a candidate,
not a weight): with these weights, after merging `window` 977dca0, trial 0.873 -> 0.873 and
dev 0.927 -> 0.929, the median chosen window 75 -> 77 on trial (so a refit needs --max-median 77
or 78 to keep it); bench.quality CMRC AnswerHit@1 0.9052 -> 0.9064, median quote 76 -> 77.
"""

WINDOW_WEIGHTS = (
    +9.348,  # coverage
    +7.259,  # bigrams
    +0.991,  # typed
    +2.196,  # typed_near
    +2.054,  # lead
    +0.396,  # position
    -2.473,  # length
    +2.321,  # sentences
    +2.347,  # list_marks
    +0.585,  # announces
    +3.000,  # dateline (hand-set: CMRC has none)
    +0.498,  # chars
    +0.508,  # attribute_opens
    +0.981,  # cause
    +1.166,  # defines
)

RERANK_WEIGHTS = (
    +6.011,  # bm25
    +0.960,  # first
    +0.086,  # window
    -0.996,  # typed
    +4.889,  # coverage
    +2.000,  # dateline (hand-set: CMRC has none)
    -2.000,  # caption (hand-set: CMRC has none)
    +2.743,  # names_title
)
