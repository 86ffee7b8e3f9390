"""Folding and tokenisation: one path for documents and questions."""

from retrieval.config import load_config
from retrieval.normalize import fold
from retrieval.tokenize import BIGRAM_MARK, Analyzer


def test_fold_keeps_length_and_folds_width_case_and_traditional():
    text = "高級技能人才的年工資ＡＢＣ１２３，Covid"
    folded = fold(text)
    assert len(folded) == len(text)
    assert folded == "高级技能人才的年工资abc123,covid"


def test_fold_can_keep_traditional_characters():
    assert fold("年工資", fold_traditional=False) == "年工資"


def test_stop_words_and_punctuation_never_become_terms():
    terms = Analyzer(load_config()).terms("首批揭榜挂帅技术攻关的企业发放了多少补助？")
    assert "的" not in terms and "了" not in terms and "多少" not in terms and "？" not in terms
    assert {"揭榜挂帅", "补助", "企业"} <= set(terms)


def test_numbers_with_units_and_dates_are_terms():
    terms = Analyzer(load_config()).terms("1月7日，高级技能人才年工资仅13.56万元。")
    assert "13.56万元" in terms
    assert "1月7日" in terms


def test_traditional_question_gets_the_same_terms_as_simplified():
    analyzer = Analyzer(load_config())
    assert analyzer.terms("高級技能人才的年工資") == analyzer.terms("高级技能人才的年工资")


def test_question_cut_over_the_lexicon_matches_the_document_cut():
    doc_analyzer = Analyzer(load_config())
    text = "市委书记丁小强主持召开城市建设管理工作专题会，对加快城市更新行动进行再部署再安排。"
    doc_terms = doc_analyzer.terms(text)
    lexicon = {t: doc_analyzer.word_freq(t) for t in doc_terms}
    question_analyzer = Analyzer(load_config(), lexicon=lexicon)
    assert set(question_analyzer.terms(text)) == set(doc_terms)


def test_spans_point_into_the_original_text():
    text = "高級技能人才"
    for term, start, end in Analyzer(load_config()).spans(text):
        assert fold(text[start:end]) == term.removeprefix(BIGRAM_MARK)


def test_character_pairs_are_terms_of_their_own_unless_switched_off(tmp_path):
    terms = Analyzer(load_config()).terms("涞滩镇的人口")
    assert BIGRAM_MARK + "涞滩" in terms and BIGRAM_MARK + "滩镇" in terms
    assert not any(BIGRAM_MARK in t and "的" in t for t in terms)  # function characters make no pairs
    cfg = tmp_path / "c.yaml"
    cfg.write_text("tokenizer:\n  char_bigrams: false\n", encoding="utf-8")
    assert not any(t.startswith(BIGRAM_MARK) for t in Analyzer(load_config(cfg)).terms("涞滩镇的人口"))


def test_fingerprint_changes_with_the_stop_word_list(tmp_path):
    stop = tmp_path / "stop.txt"
    stop.write_text("的\n", encoding="utf-8")
    cfg = tmp_path / "c.yaml"
    cfg.write_text(f"tokenizer:\n  stopwords: {stop}\n", encoding="utf-8")
    assert Analyzer(load_config(cfg)).fingerprint() != Analyzer(load_config()).fingerprint()


def test_taiwan_and_hong_kong_forms_fold_like_mainland_ones():
    # 瞭/藉 in their common reading, 衞 and 敍 (Hong Kong); one character each
    text = "他們藉由調查瞭解民情，衞生局敍述"
    folded = fold(text)
    assert len(folded) == len(text)
    assert folded == "他们借由调查了解民情,卫生局叙述"


def test_words_that_folding_changes_are_still_words():
    # 乾隆 folds to 干隆 in every text alike (乾 is 干 in 乾淨); jieba must still see one
    # word there, as it does for 乾隆 itself.
    analyzer = Analyzer(load_config())
    simplified, traditional = analyzer.terms("乾隆年间的太和殿"), analyzer.terms("乾隆年間的太和殿")
    assert "干隆" in simplified and simplified == traditional
    assert "b超" in analyzer.terms("做了B超检查")  # Latin capitals fold too


def test_a_taiwan_page_and_a_mainland_question_share_their_terms():
    analyzer = Analyzer(load_config())
    page = set(analyzer.terms("市府藉由問卷瞭解居民對衞生的意見"))
    question = set(analyzer.terms("市政府借由问卷了解居民对卫生的什么意见"))
    assert {"了解", "问卷", "卫生"} <= page & question


def test_hong_kong_question_words_are_stop_words_too():
    analyzer = Analyzer(load_config())

    def words(text: str) -> list[str]:
        return [t for t in analyzer.terms(text) if not t.startswith(BIGRAM_MARK)]

    assert words("這座大橋是甚麼時候通車的？") == words("这座大桥是什么时候通车的？") == ["这座", "大桥", "通车"]
    assert words("大橋幾時通車？") == ["大桥", "通车"]
