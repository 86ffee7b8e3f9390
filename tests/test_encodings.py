"""decode_bytes: every encoding a Chinese newspaper archive arrives in, and what is not text."""

from __future__ import annotations

import codecs

import pytest

from retrieval.encodings import REPAIRED, REPAIRED_UTF8, Undecodable, decode_bytes

SIMPLIFIED = (
    "本报讯 记者王海涛报道：全市今年新建改建农村公路一千二百公里，"
    "沿线群众出行难的问题得到明显缓解。市交通局负责人表示，明年将继续加大投入，"
    "确保每个行政村都通上硬化路。"
)
TRADITIONAL = (
    "本報訊 記者陳志明報導：全市今年新建改建農村公路一千二百公里，"
    "沿線群眾出行難的問題得到明顯緩解。市交通局負責人表示，明年將繼續加大投入，"
    "確保每個行政村都通上柏油路。"
)
BIG5_NAMES = ("big5", "cp950", "big5hkscs")
# About sixty characters each: one short newspaper paragraph.
SHORT_SIMPLIFIED = "据新华社北京1月7日电 人力资源和社会保障部7日宣布，将大力推动高级工以上的技能人才参加职称评定，着力解决待遇不高的问题。"
SHORT_TRADITIONAL = "據中央社台北七日電 行政院今天通過明年度總預算案，教育經費比今年增加百分之五，將用於改善偏遠地區學校的設備與師資。"


def test_empty_file_is_empty_text():
    assert decode_bytes(b"") == ("", "utf-8")


def test_utf8():
    assert decode_bytes(SIMPLIFIED.encode("utf-8")) == (SIMPLIFIED, "utf-8")


def test_utf8_bom_is_removed():
    text, encoding = decode_bytes(codecs.BOM_UTF8 + SIMPLIFIED.encode("utf-8"))
    assert text == SIMPLIFIED
    assert encoding == "utf-8-sig"


@pytest.mark.parametrize("codec, bom", [
    ("utf-16-le", codecs.BOM_UTF16_LE),
    ("utf-16-be", codecs.BOM_UTF16_BE),
    ("utf-32-le", codecs.BOM_UTF32_LE),
    ("utf-32-be", codecs.BOM_UTF32_BE),
])
def test_unicode_with_bom(codec, bom):
    text = "第一行 line one\n" + TRADITIONAL
    assert decode_bytes(bom + text.encode(codec)) == (text, codec)


def test_utf16_without_bom_mostly_ascii():
    text = "Page 3, 2021-01-07\n本报讯 " * 20
    assert decode_bytes(text.encode("utf-16-le")) == (text, "utf-16-le")


@pytest.mark.parametrize("codec", ["gb18030", "gbk", "gb2312"])
def test_gb_family_simplified_paragraph(codec):
    text, encoding = decode_bytes(SIMPLIFIED.encode(codec))
    assert text == SIMPLIFIED
    assert encoding == "gb18030"


def test_big5_traditional_paragraph():
    text, encoding = decode_bytes(TRADITIONAL.encode("big5"))
    assert text == TRADITIONAL
    assert encoding in BIG5_NAMES


@pytest.mark.parametrize("text, codec, names", [
    (SHORT_SIMPLIFIED, "gb18030", ("gb18030",)),
    (SHORT_TRADITIONAL, "big5", BIG5_NAMES),
], ids=["simplified-gb18030", "traditional-big5"])
def test_short_paragraph_picks_the_right_legacy_encoding(text, codec, names):
    assert 55 <= len(text) <= 70
    decoded, encoding = decode_bytes(text.encode(codec))
    assert decoded == text
    assert encoding in names


def test_big5_bytes_also_decode_as_gb18030_so_the_choice_is_real():
    data = SHORT_TRADITIONAL.encode("big5")
    assert data.decode("gb18030") != SHORT_TRADITIONAL  # valid GB18030, wrong text


def test_gb_text_with_ascii_lines_and_crlf():
    text = "Title: 2021-01-07\r\n" + SIMPLIFIED + "\r\n(page 3)\r\n"
    assert decode_bytes(text.encode("gbk")) == (text, "gb18030")


def test_nul_bytes_mean_binary():
    data = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4
    with pytest.raises(Undecodable, match="binary"):
        decode_bytes(data)


def test_many_control_bytes_mean_binary():
    data = bytes([1, 2, 3, 4, 5, 6, 7, 8, 65, 66]) * 50
    with pytest.raises(Undecodable, match="binary"):
        decode_bytes(data)


def test_a_few_form_feeds_and_tabs_are_text():
    text = "第一版\f\t本报讯\n" + SIMPLIFIED
    assert decode_bytes(text.encode("utf-8"))[0] == text


def test_utf8_with_one_damaged_byte_is_repaired_not_misread_as_gb():
    data = (SIMPLIFIED * 5).encode("utf-8")
    damaged = data[:100] + b"\xff" + data[100:]
    text, encoding = decode_bytes(damaged)
    assert encoding == REPAIRED_UTF8
    assert text.count("\ufffd") == 1
    assert SIMPLIFIED in text


def test_utf8_cut_off_inside_the_last_character():
    data = SIMPLIFIED.encode("utf-8")[:-1]
    text, encoding = decode_bytes(data)
    assert encoding == REPAIRED_UTF8
    assert text.startswith(SIMPLIFIED[:-1])


def test_gbk_with_one_damaged_byte_is_repaired():
    data = (SIMPLIFIED * 5).encode("gbk")
    damaged = data[:99] + b"\xff" + data[100:]  # a broken first byte of a character
    text, encoding = decode_bytes(damaged)
    assert encoding == "gb18030" + REPAIRED
    assert "\ufffd" in text and SIMPLIFIED in text


def test_unknown_legacy_encoding_is_refused():
    data = "naïve café résumé déjà vu ".encode("cp1252") * 20
    with pytest.raises(Undecodable, match="unknown encoding"):
        decode_bytes(data)
