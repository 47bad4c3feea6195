"""Reading input files: encodings, formats told apart by content, refusals with clear reasons."""

from __future__ import annotations

import codecs
import functools
import io
import time
import zipfile
from pathlib import Path

import pytest
from fixtures import (
    DOCX_TABLE_NOTE,
    ENCODED,
    SAMPLE_REPORTS,
    WUHOU_2024,
    WUHOU_2024_TRADITIONAL,
    XIHU_2023,
    docx_bytes,
    pdf_bytes,
    write_all,
)
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reportlib.core.errors import InputError
from reportlib.reading import formats
from reportlib.reading.formats import (
    Extracted,
    decode_text,
    extract,
    header_meta,
    html_to_text,
    is_traditional,
    to_simplified,
)


@pytest.fixture(scope="module")
def files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    return write_all(tmp_path_factory.mktemp("formats"))


def read(files: dict[str, Path], key: str) -> Extracted:
    path = files[key]
    return extract(path.read_bytes(), path.name)


def paragraphs(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


# --------------------------------------------------------------------------------------------
# Encodings
# --------------------------------------------------------------------------------------------

EXPECTED_CODEC = {
    "utf8": "utf-8",
    "utf8_bom": "utf-8-sig",
    "gb18030_crlf": "gb18030",
    "gbk": "gb18030",
    "utf16le_bom": "utf-16-le",
    "utf16be_bom": "utf-16-be",
    "utf16le_nobom": "utf-16-le",
    "big5": "big5",
}


@pytest.mark.parametrize("key", list(ENCODED), ids=list(ENCODED))
def test_each_encoding_round_trips_exactly(files: dict[str, Path], key: str) -> None:
    source, _how, _name = ENCODED[key]
    result = read(files, key)
    assert result.format == "txt"
    assert result.text == source  # BOM gone, CRLF kept, not a character changed
    assert result.encoding == EXPECTED_CODEC[key]
    text, codec = decode_text(files[key].read_bytes())
    assert (text, codec) == (source, EXPECTED_CODEC[key])


def test_offsets_refer_to_the_decoded_file(files: dict[str, Path]) -> None:
    text = read(files, "gb18030_crlf").text
    start = text.index("1,234件")
    assert text[start : start + 6] == "1,234件"
    assert text.count("\r\n") == XIHU_2023.count("\n")


@pytest.mark.parametrize(
    ("text", "codec"),
    [
        pytest.param("泉州市鲤城区司法局2023年度法治政府建设情况报告", "gb18030", id="short-gb"),
        pytest.param("泉州市鯉城區司法局2023年度法治政府建設情況報告", "big5", id="short-big5"),
        pytest.param("办理法律援助案件367件", "utf-16-le", id="utf16le-no-bom"),
        pytest.param("办理法律援助案件367件", "utf-16-be", id="utf16be-no-bom"),
    ],
)
def test_short_texts_decode(text: str, codec: str) -> None:
    assert decode_text(text.encode(codec)) == (text, codec)


@pytest.mark.parametrize(
    ("bom", "codec"),
    [
        (codecs.BOM_UTF32_LE, "utf-32-le"),
        (codecs.BOM_UTF32_BE, "utf-32-be"),
        (codecs.BOM_UTF16_LE, "utf-16-le"),
        (codecs.BOM_UTF16_BE, "utf-16-be"),
        (codecs.BOM_UTF8, "utf-8"),
    ],
    ids=["utf32le", "utf32be", "utf16le", "utf16be", "utf8"],
)
def test_byte_order_marks_win(bom: bytes, codec: str) -> None:
    text, found = decode_text(bom + WUHOU_2024.encode(codec))
    assert text == WUHOU_2024
    assert found == ("utf-8-sig" if codec == "utf-8" else codec)


def test_a_few_damaged_bytes_are_tolerated() -> None:
    data = XIHU_2023.encode("gb18030")[:-1] + b"\xff"  # last byte damaged
    text, codec = decode_text(data)
    assert codec == "gb18030"
    assert text.startswith("杭州市西湖区司法局文件")
    assert text.count("\ufffd") == 1


def test_a_stray_nul_does_not_make_a_report_binary() -> None:
    data = XIHU_2023.encode() + b"\x00"
    assert decode_text(data) == (XIHU_2023 + "\x00", "utf-8")


def test_plain_utf8_is_fast() -> None:
    data = (XIHU_2023 * 20)[:10_000].encode()
    best = min(_timed(lambda: extract(data, "a.txt")) for _ in range(20))
    assert best < 0.002, f"extract took {best * 1e6:.0f} µs for a 10 KB UTF-8 text"
    best = min(_timed(lambda: decode_text(data)) for _ in range(20))
    assert best < 0.0005, f"decode_text took {best * 1e6:.0f} µs for a 10 KB UTF-8 text"


def _timed(call) -> float:
    start = time.perf_counter()
    call()
    return time.perf_counter() - start


# --------------------------------------------------------------------------------------------
# Formats by content
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("key", "fmt"),
    [("html", "html"), ("html_as_txt", "html"), ("html_gbk", "html"), ("pdf", "pdf"), ("pdf_as_txt", "pdf")],
)
def test_format_is_told_by_content(files: dict[str, Path], key: str, fmt: str) -> None:
    assert read(files, key).format == fmt


def test_html_keeps_the_report_and_drops_the_page(files: dict[str, Path]) -> None:
    result = read(files, "html")
    assert paragraphs(result.text) == paragraphs(XIHU_2023)
    for furniture in ("统计代码", "页面尾部", "首页", "当前位置", "分享到", "扫一扫", "打印", "主办", "搜索"):
        assert furniture not in result.text, furniture
    assert "办理法律援助案件1,234件" in result.text  # a line break inside the source is gone


def test_html_metadata(files: dict[str, Path]) -> None:
    meta = read(files, "html").meta
    assert meta["title"] == "杭州市西湖区司法局关于2023年度法治政府建设情况的报告"
    assert meta["published_date"] == "2024-02-28"
    assert meta["source"] == "杭州市西湖区司法局"
    assert meta["doc_number"] == "西司〔2024〕3号"
    assert meta["index_no"] == "002489587/2024-00031"
    assert meta["script"] == "simplified"


def test_gbk_html_declaring_its_charset(files: dict[str, Path]) -> None:
    result = read(files, "html_gbk")
    assert result.encoding == "gb18030"
    assert paragraphs(result.text) == paragraphs(XIHU_2023)


def test_html_without_container_metadata_from_header_lines() -> None:
    page = (
        "<html><body><div class='top'>来源：厦门市司法局　发表时间：2025-03-18 16:56</div>"
        "<p>厦门市司法局2024年法治政府建设工作情况报告</p><p>办理法律援助案件3454件。</p>"
        "<ul class='share-list'><li>微信</li></ul></body></html>"
    )
    text, meta = html_to_text(page)
    assert "办理法律援助案件3454件。" in paragraphs(text)
    assert "微信" not in text
    assert meta["published_date"] == "2025-03-18"
    assert meta["source"] == "厦门市司法局"


def test_html_title_is_put_first_when_the_article_lacks_it() -> None:
    body = "".join(f"<p>{line}</p>" for line in paragraphs(WUHOU_2024)[1:])
    page = f"<html><head><title>{paragraphs(WUHOU_2024)[0]} - 武侯区人民政府</title></head><body><div class='article'>{body}</div></body></html>"
    text, meta = html_to_text(page)
    assert meta["title"] == paragraphs(WUHOU_2024)[0]
    assert paragraphs(text) == paragraphs(WUHOU_2024)


def test_page_wrapped_in_an_aspnet_form_keeps_its_article() -> None:
    body = "".join(f"<p>{line}</p>" for line in paragraphs(XIHU_2023))
    page = (
        '<html><body><form id="form1" method="post"><div class="nav"><a>首页</a></div>'
        f'<div id="printContent">{body}</div>'
        '<div class="footer"><form class="search"><input name="q">站内搜索</form></div></form></body></html>'
    )
    text, _meta = html_to_text(page)
    assert paragraphs(text) == paragraphs(XIHU_2023)


def test_utf8_page_declaring_gb2312_is_read_as_utf8() -> None:
    page = f'<html><head><meta charset="gb2312"></head><body><p>{WUHOU_2024}</p></body></html>'
    result = extract(page.encode("utf-8"), "page.html")
    assert result.encoding == "utf-8"
    assert "办理法律援助案件2,045件" in result.text


def test_docx_paragraphs_and_tables(files: dict[str, Path]) -> None:
    result = read(files, "docx")
    assert result.format == "docx"
    assert paragraphs(result.text)[: len(paragraphs(XIHU_2023))] == paragraphs(XIHU_2023)
    assert "法律援助案件（件）\t1,168\t1,234" in result.text.splitlines()
    assert DOCX_TABLE_NOTE in result.text.splitlines()  # a merged cell once, not three times
    assert result.meta["title"] == "杭州市西湖区司法局关于2023年度法治政府建设情况的报告"
    assert result.meta["created"] == "2024-02-20"


def test_pdf_text_layer(files: dict[str, Path]) -> None:
    result = read(files, "pdf")
    flat = result.text.replace("\n", "")
    assert "全年办理法律援助案件1,234件，同比增长5.6%" in flat
    assert "杭州市西湖区司法局关于2023年度法治政府建设情况的报告" in result.text
    assert result.meta["pages"] == "2"
    assert result.meta["title"] == "杭州市西湖区司法局关于2023年度法治政府建设情况的报告"
    assert len(result.page_starts) == 2
    assert result.text[result.page_starts[1] :].startswith("二、存在的不足和原因")


def test_pdf_restricted_only_by_permissions_is_read(files: dict[str, Path]) -> None:
    assert "法律援助案件" in read(files, "pdf_permissions_only").text


# --------------------------------------------------------------------------------------------
# Refusals
# --------------------------------------------------------------------------------------------

REFUSALS = {
    "empty": "empty file (0 bytes)",
    "whitespace": "file holds only whitespace",
    "png_as_txt": "binary file (looks like PNG image), not a text report",
    "jpeg_as_txt": "binary file (looks like JPEG image), not a text report",
    "gif": "binary file (looks like GIF image), not a text report",
    "gzip": "binary file (looks like GZIP archive), not a text report",
    "elf": "binary file (looks like ELF executable), not a text report",
    "legacy_doc": "legacy Word .doc is not supported; save as .docx",
    "random": "binary data, not text in any supported encoding",
    "other_zip": "binary file (looks like ZIP archive), not a text report",
    "xlsx": "Excel workbook (.xlsx), not a text report",
    "scanned_pdf": "PDF has no text layer (scanned image?); run OCR first",
    "encrypted_pdf": "PDF is encrypted (password required); remove the password first",
}
#: Damaged files: the reason starts with these words and goes on with the parser's complaint.
DAMAGED = {
    "truncated_docx": "corrupt or truncated ZIP/.docx file (",
    "corrupt_docx": "corrupt .docx file (",
    "corrupt_pdf": "corrupt PDF (",
}


@pytest.mark.parametrize("key", list(REFUSALS), ids=list(REFUSALS))
def test_refusals_give_the_reason(files: dict[str, Path], key: str) -> None:
    with pytest.raises(InputError) as caught:
        read(files, key)
    assert caught.value.reason == REFUSALS[key]
    assert caught.value.path == files[key].name
    assert str(caught.value) == f"{files[key].name}: {REFUSALS[key]}"


@pytest.mark.parametrize("key", list(DAMAGED), ids=list(DAMAGED))
def test_damaged_files_are_refused(files: dict[str, Path], key: str) -> None:
    with pytest.raises(InputError) as caught:
        read(files, key)
    assert caught.value.reason.startswith(DAMAGED[key])


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        pytest.param(b"\x00" * 64, "binary data, not text in any supported encoding", id="nul-bytes"),
        pytest.param(b"{\\rtf1\\ansi report}", "RTF document is not supported; save as .docx", id="rtf"),
        pytest.param(
            b"<html><body><script>x</script></body></html>", "HTML page holds no visible text", id="html"
        ),
        pytest.param(
            b"PK\x03\x04" + bytes(40),
            "corrupt or truncated ZIP/.docx file (File is not a zip file)",
            id="zip-header",
        ),
    ],
)
def test_more_refusals(data: bytes, reason: str) -> None:
    with pytest.raises(InputError) as caught:
        extract(data, "x")
    assert caught.value.reason == reason


def test_other_office_zips_are_named() -> None:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.text")
    with pytest.raises(InputError, match=r"OpenDocument file \(\.odt\) is not supported"):
        extract(out.getvalue(), "a.odt")


# --------------------------------------------------------------------------------------------
# Traditional script
# --------------------------------------------------------------------------------------------


def test_traditional_is_detected(files: dict[str, Path]) -> None:
    assert read(files, "big5").meta["script"] == "traditional"
    assert is_traditional(WUHOU_2024_TRADITIONAL)
    assert not any(is_traditional(SAMPLE_REPORTS[name]) for name in ("xihu_2023", "wuhou_2024"))


def test_to_simplified_mirrors_the_report() -> None:
    assert to_simplified(WUHOU_2024_TRADITIONAL) == WUHOU_2024


@pytest.mark.parametrize(
    "text",
    ["", "a\x00b", "乾隆年間\r\n", "a\ud800b", "發展\n" * 3, "“八五”普法"],
    ids=["empty", "nul", "crlf", "lone-surrogate", "lines", "quotes"],
)
def test_to_simplified_keeps_length(text: str) -> None:
    assert len(to_simplified(text)) == len(text)


@settings(max_examples=100, deadline=None)
@given(st.text(max_size=200))
def test_to_simplified_keeps_length_for_any_text(text: str) -> None:
    assert len(to_simplified(text)) == len(text)


def test_marker_tables_agree_with_opencc() -> None:
    traditional, simplified = formats._TRADITIONAL_MARKERS, formats._SIMPLIFIED_MARKERS
    assert len(traditional) == len(simplified)
    assert to_simplified(traditional) == simplified
    assert to_simplified(simplified) == simplified


def test_is_traditional_is_fast() -> None:
    text = (XIHU_2023 * 20)[:10_000]
    best = min(_timed(lambda: is_traditional(text)) for _ in range(20))
    assert best < 0.001, f"is_traditional took {best * 1e6:.0f} µs on 10 KB"


# --------------------------------------------------------------------------------------------
# Header lines
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param(
            "来源:泉州市鲤城区人民政府 时间:2025-02-17 11:23",
            {"source": "泉州市鲤城区人民政府", "published_date": "2025-02-17"},
            id="source-and-time-on-one-line",
        ),
        pytest.param(
            "发表时间 : 2025-03-18 16:56:432024年以来",
            {"published_date": "2025-03-18"},
            id="time-glued-to-text",
        ),
        pytest.param(
            "发布机构：南安市司法局\n发布日期：2024年2月28日",
            {"publisher": "南安市司法局", "source": "南安市司法局", "published_date": "2024-02-28"},
            id="publisher-is-the-source",
        ),
        pytest.param("数据来源：统计局\n会议日期：2024-01-02", {}, id="not-labels"),
        pytest.param("时间：2024-02-30", {}, id="impossible-date"),
    ],
)
def test_header_meta(text: str, expected: dict[str, str]) -> None:
    assert header_meta(text) == expected


# --------------------------------------------------------------------------------------------
# Fuzz: nothing but InputError, ever
# --------------------------------------------------------------------------------------------

PREFIXES = [
    b"",
    b"%PDF-1.4\n",
    b"PK\x03\x04",
    b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",
    codecs.BOM_UTF8,
    codecs.BOM_UTF16_LE,
    codecs.BOM_UTF16_BE,
    codecs.BOM_UTF32_LE,
    b"<!doctype html><html><body>",
    "<div><p>法治政府</p><br>".encode(),
    "法治政府建设".encode("gb18030"),
    "法治政府建設".encode("big5"),
]


@st.composite
def hostile_bytes(draw: st.DrawFn) -> bytes:
    """Random bytes, often behind a signature, or a real DOCX/PDF cut short or with bytes flipped."""
    kind = draw(st.sampled_from(["random", "prefixed", "damaged"]))
    if kind == "random":
        return draw(st.binary(max_size=1000))
    if kind == "prefixed":
        return draw(st.sampled_from(PREFIXES)) + draw(st.binary(max_size=600))
    data = bytearray(draw(st.sampled_from([_docx(), _pdf()])))
    for _ in range(draw(st.integers(0, 8))):
        data[draw(st.integers(0, len(data) - 1))] = draw(st.integers(0, 255))
    return bytes(data[: draw(st.integers(0, len(data)))])


@functools.cache
def _docx() -> bytes:
    return docx_bytes(WUHOU_2024)


@functools.cache
def _pdf() -> bytes:
    return pdf_bytes()


@settings(max_examples=250, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(hostile_bytes())
def test_extract_raises_nothing_but_input_error(data: bytes) -> None:
    try:
        result = extract(data, "fuzz.bin")
    except InputError as error:
        assert error.reason
    else:
        assert isinstance(result, Extracted)
        assert result.format in {"txt", "html", "docx", "pdf"}
        assert result.text.strip()


@settings(max_examples=300, deadline=None)
@given(
    st.one_of(
        st.binary(max_size=1000), st.tuples(st.sampled_from(PREFIXES), st.binary(max_size=300)).map(b"".join)
    )
)
def test_decode_text_raises_nothing_but_input_error(data: bytes) -> None:
    try:
        text, codec = decode_text(data)
    except InputError as error:
        assert error.reason
    else:
        assert isinstance(text, str)
        assert codecs.lookup(codec)


ANY_TEXT = st.text(
    st.characters(blacklist_categories=("Cc", "Cs"), blacklist_characters="\ufeff\ufffd"), max_size=300
)
#: What reports are written in: ASCII, Chinese characters, Chinese punctuation, line breaks.
REPORT_TEXT = st.text(
    st.one_of(
        st.characters(min_codepoint=0x20, max_codepoint=0x7E),
        st.characters(min_codepoint=0x4E00, max_codepoint=0x9FFF),
        st.sampled_from("，。、：；“”（）《》〔〕\r\n\t\u3000"),
    ),
    max_size=300,
)


@settings(max_examples=100, deadline=None)
@given(ANY_TEXT, st.sampled_from(["utf-8", "utf-8-sig"]))
def test_any_unicode_text_round_trips_through_utf8(text: str, codec: str) -> None:
    decoded, _found = decode_text(text.encode(codec))
    assert decoded == text


WITH_BOM = {  # Python's utf-16/utf-32 codecs write a BOM themselves
    "utf-16": lambda text: text.encode("utf-16"),
    "utf-32": lambda text: text.encode("utf-32"),
    "utf-16-le": lambda text: codecs.BOM_UTF16_LE + text.encode("utf-16-le"),
    "utf-16-be": lambda text: codecs.BOM_UTF16_BE + text.encode("utf-16-be"),
}


@settings(max_examples=100, deadline=None)
@given(REPORT_TEXT, st.sampled_from(sorted(WITH_BOM)))
def test_report_text_round_trips_behind_a_byte_order_mark(text: str, codec: str) -> None:
    decoded, _found = decode_text(WITH_BOM[codec](text))
    assert decoded == text
