"""wenbao's engine: read a corpus into dated paragraphs, index them, answer questions.

Layers, bottom up (nothing here imports textual or rich):
  config, models, errors      settings and the plain objects every front end renders
  safe_yaml                   the one bounded YAML reader (config files, front matter)
  encodings, loaders          bytes -> text -> SourceDoc (pages and records)
  layout                      OCR page -> articles -> paragraphs (joins, debris, headlines)
  dates                       where each paragraph's date comes from
  date_folders                a folder's year: what its self-dated files agree on, given to the rest
  paragraphs                  SourceDoc -> list[Paragraph]
  normalize, tokenize         one folding + jieba path for documents and questions
  abbreviations               the press's short forms a question spells out (中国和俄罗斯 → 中俄)
  store, engines              the on-disk index and the BM25 engines behind one interface
  checks                      crc32 per chunk of every index file, checked as it is read
  retrievers, xapian_backend  what Archive ranks with: the local index, or Xapian (shards)
  answers                     quote selection (window features), highlights, answer spans, the short answer
  relations                   factoid questions: the relation asked of the subject (国籍, 职业…) and its answer's form in text
  rerank, weights             answer-type-aware re-rank of the top hits; the fitted feature weights
  focus                       value questions: the leading article's paragraph that states the value
  headline                    when the article's headline holds the asked-for value: the quote, cited to its line
  periods                     dates in questions: the period a question names
  browse                      days, pages in print order, next article / page / day
  search                      Archive: open / ask / paragraph / day — the front door
"""
