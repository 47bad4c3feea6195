"""Test inputs for reading files, generated from small synthetic reports of our own making.

Nothing here is a hand-edited binary: every file is written by code from the texts in
:data:`SAMPLE_REPORTS` (two short reports in the genre, for places and years outside the seeds,
and a traditional-script mirror of one of them). :func:`write_all` writes every input into a
directory: the same reports in several encodings, an HTML page as a government site serves it,
a DOCX, a PDF with a text layer, and the degenerate inputs a reader must refuse.
"""

from __future__ import annotations

import datetime as dt
import gzip
import io
import random
import zipfile
from pathlib import Path

XIHU_2023 = """杭州市西湖区司法局文件

西司〔2024〕3号

签发人：张䶮

杭州市西湖区司法局关于2023年度法治政府建设情况的报告

区委、区政府：

2023年，西湖区司法局在区委、区政府的坚强领导和市司法局的有力指导下，深入学习贯彻习近平法治思想，扎实推进法治政府建设各项工作。现将有关情况报告如下：

一、2023年度推进法治政府建设的主要举措和成效

（一）健全公共法律服务体系。全年办理法律援助案件1,234件，同比增长5.6%，为受援群众挽回经济损失约2,356.8万元。建成村（社区）公共法律服务工作室186个，实现全区全覆盖。

（二）严格规范行政执法。审查行政规范性文件23件，备案审查率100%。办理行政复议案件87件，纠错率12.6%。组织行政执法人员培训4场次，参训1,050余人次。

（三）多元化解矛盾纠纷。全区各级人民调解组织调解矛盾纠纷4,512件，调解成功率98.7%。开展“八五”普法宣传活动300余场次，受众超5万人次。

二、存在的不足和原因

基层法治工作力量仍显薄弱，少数执法人员运用法治思维和法治方式解决问题的能力有待提高。

三、党政主要负责人履行推进法治建设第一责任人职责情况

局党组书记、局长认真履行第一责任人职责，全年主持召开专题会议研究法治工作12次。

四、2024年工作安排

持续深化法治政府建设，进一步提升公共法律服务水平，全力护航高质量发展。

杭州市西湖区司法局
二〇二四年二月二十日

抄送：杭州市司法局。
"""
"""A district justice bureau's report (department, Chinese-numeral signature date). 签发人 holds
䶮 (U+4DAE), which GBK lacks and GB18030 encodes in four bytes."""

WUHOU_2024 = """成都市武侯区人民政府关于2024年法治政府建设情况的报告

区委、区人大常委会：

2024年，武侯区人民政府坚持以习近平新时代中国特色社会主义思想为指导，全面贯彻落实党的二十大和二十届三中全会精神，深入践行习近平法治思想，法治政府建设取得新成效。现将有关情况报告如下：

一、2024年主要工作情况

（一）依法全面履行政府职能。全年新增经营主体2.3万户，办理政务服务事项超过120万件，网上办理率98.5%。

（二）严格规范公正文明执法。开展行政执法检查1,568次，办理行政处罚案件956件，罚没金额502.4万元。

（三）加强公共法律服务。办理法律援助案件2,045件，较上年减少3.2%；调解各类纠纷6,780件，调解成功率97.3%。

二、存在的问题

法治宣传的针对性和实效性还需加强，基层执法规范化水平有待进一步提升。

三、党政主要负责人履行推进法治建设第一责任人职责情况

区政府主要负责同志召开常务会议专题研究法治工作6次，带头开展述法。

四、2025年工作打算

深入推进严格规范公正文明执法，持续优化法治化营商环境。

五、其他需要报告的情况

无。

成都市武侯区人民政府
2025年3月10日
"""
"""A district government's report (government, all five required parts, Arabic date)."""

WUHOU_2024_TRADITIONAL = """成都市武侯區人民政府關於2024年法治政府建設情況的報告

區委、區人大常委會：

2024年，武侯區人民政府堅持以習近平新時代中國特色社會主義思想為指導，全面貫徹落實黨的二十大和二十屆三中全會精神，深入踐行習近平法治思想，法治政府建設取得新成效。現將有關情況報告如下：

一、2024年主要工作情況

（一）依法全面履行政府職能。全年新增經營主體2.3萬戶，辦理政務服務事項超過120萬件，網上辦理率98.5%。

（二）嚴格規範公正文明執法。開展行政執法檢查1,568次，辦理行政處罰案件956件，罰沒金額502.4萬元。

（三）加強公共法律服務。辦理法律援助案件2,045件，較上年減少3.2%；調解各類糾紛6,780件，調解成功率97.3%。

二、存在的問題

法治宣傳的針對性和實效性還需加強，基層執法規範化水平有待進一步提升。

三、黨政主要負責人履行推進法治建設第一責任人職責情況

區政府主要負責同志召開常務會議專題研究法治工作6次，帶頭開展述法。

四、2025年工作打算

深入推進嚴格規範公正文明執法，持續優化法治化營商環境。

五、其他需要報告的情況

無。

成都市武侯區人民政府
2025年3月10日
"""
""":data:`WUHOU_2024` in traditional script (台/港 style), character for character; Big5-encodable."""

SAMPLE_REPORTS: dict[str, str] = {
    "xihu_2023": XIHU_2023,
    "wuhou_2024": WUHOU_2024,
    "wuhou_2024_traditional": WUHOU_2024_TRADITIONAL,
}
"""Every synthetic report by name."""

#: The text each encoded fixture decodes to, exactly, and the codec it was written with.
ENCODED: dict[str, tuple[str, str, str]] = {
    # fixture name: (report text, how it is encoded, file name)
    "utf8": (XIHU_2023, "utf-8", "xihu_utf8.txt"),
    "utf8_bom": (WUHOU_2024, "utf-8-sig", "wuhou_utf8_bom.txt"),
    "gb18030_crlf": (XIHU_2023.replace("\n", "\r\n"), "gb18030", "xihu_gb18030_crlf.txt"),
    "gbk": (WUHOU_2024, "gbk", "wuhou_gbk.txt"),
    "utf16le_bom": (WUHOU_2024.replace("\n", "\r\n"), "utf-16-le+bom", "wuhou_utf16le_bom.txt"),
    "utf16be_bom": (XIHU_2023, "utf-16-be+bom", "xihu_utf16be_bom.txt"),
    "utf16le_nobom": (XIHU_2023, "utf-16-le", "xihu_utf16le_nobom.txt"),
    "big5": (WUHOU_2024_TRADITIONAL, "big5", "wuhou_traditional_big5.txt"),
}

_BOMS = {"utf-16-le+bom": ("utf-16-le", b"\xff\xfe"), "utf-16-be+bom": ("utf-16-be", b"\xfe\xff")}


def encode(text: str, how: str) -> bytes:
    """``text`` encoded as ``how`` says: a codec name, or ``utf-16-le+bom`` / ``utf-16-be+bom``."""
    if how in _BOMS:
        codec, bom = _BOMS[how]
        return bom + text.encode(codec)
    return text.encode(how)


# --------------------------------------------------------------------------------------------
# HTML
# --------------------------------------------------------------------------------------------


def _paragraphs(text: str) -> list[str]:
    return [line for line in text.splitlines() if line.strip()]


def gov_page_html(report: str = XIHU_2023, charset: str = "utf-8") -> str:
    """The report as a district government site publishes it: CMS <meta> tags, scripts, a
    navigation bar, breadcrumbs, an 索引号/发布机构/发布日期 table, share and print buttons,
    a QR-code hint and a footer around the article in ``div#zoom``."""
    paragraphs = _paragraphs(report)
    title = next(p for p in paragraphs if "报告" in p)
    # One paragraph is broken across source lines, as CMS editors leave them.
    lines = []
    for paragraph in paragraphs:
        if "法律援助案件" in paragraph:
            lines.append(
                "      <p>" + paragraph.replace("法律援助案件", "法律援助\n        案件", 1) + "</p>"
            )
        else:
            lines.append(f'      <p style="text-indent:2em;">&nbsp;&nbsp;{paragraph}</p>')
    body = "\n".join(lines)
    return f"""<!DOCTYPE html>
<!-- saved from a government website -->
<html lang="zh-CN">
<head>
<meta http-equiv="Content-Type" content="text/html; charset={charset}">
<title>{title}_杭州市西湖区人民政府</title>
<meta name="SiteName" content="杭州市西湖区人民政府">
<meta name="ColumnName" content="法治政府建设年度报告">
<meta name="ArticleTitle" content="{title}">
<meta name="PubDate" content="2024-02-28 11:45">
<meta name="ContentSource" content="杭州市西湖区司法局">
<meta name="keywords" content="法治政府,年度报告">
<style>.nav {{ color: #c00; }} body {{ font-family: SimSun; }}</style>
<script type="text/javascript">var _hmt = _hmt || []; document.write("统计代码加载中");</script>
</head>
<body>
<div class="header"><div class="logo">杭州市西湖区人民政府</div>
  <div class="search"><form><input type="text" value="请输入关键词"><button>搜索</button></form></div></div>
<div class="nav"><ul>
  <li><a href="/">首页</a></li><li><a href="/zwgk/">政务公开</a></li>
  <li><a href="/hdjl/">互动交流</a></li><li><a href="/bsfw/">办事服务</a></li></ul></div>
<div class="position">当前位置：<a href="/">首页</a> &gt; <a href="/zwgk/">政务公开</a> &gt; 法治政府建设年度报告</div>
<div class="main">
  <table class="xxgk-table">
    <tr><td>索引号：</td><td>002489587/2024-00031</td><td>发布机构：</td><td>杭州市西湖区司法局</td></tr>
    <tr><td>文号：</td><td>西司〔2024〕3号</td><td>发布日期：</td><td>2024-02-28</td></tr>
  </table>
  <h1 class="title">{title}</h1>
  <div class="info">来源：杭州市西湖区司法局&nbsp;&nbsp;发布时间：2024-02-28 11:45&nbsp;&nbsp;浏览次数：<span id="hits">1024</span></div>
  <div id="zoom" class="article-content"><div class="TRS_Editor">
{body}
  </div></div>
  <div class="attachment">附件下载：<a href="/att/2024-3.pdf">西湖区2023年度法治政府建设情况报告.pdf</a></div>
  <div class="bdshare">分享到：<a>微信</a><a>微博</a><a>QQ空间</a></div>
  <div class="print-bar">【<a href="javascript:window.print()">打印本页</a>】【<a href="javascript:window.close()">关闭窗口</a>】</div>
  <div class="qrcode"><img src="qr.png" alt="">扫一扫在手机打开当前页</div>
</div>
<div class="footer">主办：杭州市西湖区人民政府办公室　地址：杭州市西湖区文三路　浙ICP备00000000号</div>
<script>console.log("页面尾部脚本");</script>
</body>
</html>
"""


# --------------------------------------------------------------------------------------------
# DOCX and PDF
# --------------------------------------------------------------------------------------------

#: The table the DOCX carries after its paragraphs (the last row is one merged cell).
DOCX_TABLE = [
    ["指标", "2022年", "2023年"],
    ["法律援助案件（件）", "1,168", "1,234"],
    ["行政复议案件（件）", "80", "87"],
]
DOCX_TABLE_NOTE = "数据来源：杭州市西湖区司法局"


def docx_bytes(report: str = XIHU_2023) -> bytes:
    """The report as a Word document: one paragraph per line, a data table, core properties."""
    import docx

    document = docx.Document()
    document.core_properties.title = next(p for p in _paragraphs(report) if "报告" in p)
    document.core_properties.author = "杭州市西湖区司法局"
    document.core_properties.created = dt.datetime(2024, 2, 20, 9, 30)
    for paragraph in _paragraphs(report):
        document.add_paragraph(paragraph)
    table = document.add_table(rows=len(DOCX_TABLE) + 1, cols=3)
    for row, values in zip(table.rows, DOCX_TABLE, strict=False):
        for cell, value in zip(row.cells, values, strict=True):
            cell.text = value
    last = table.rows[-1].cells
    merged = last[0].merge(last[2])
    merged.text = DOCX_TABLE_NOTE
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _cjk_font_path() -> Path:
    """SimHei from the ``mplfonts`` package (a runtime dependency): a TrueType CJK font."""
    import mplfonts

    return Path(mplfonts.__file__).parent / "fonts" / "SimHei.ttf"


_PDF_CACHE: dict[str, bytes] = {}


def pdf_bytes(report: str = XIHU_2023) -> bytes:
    """The report as a two-page PDF with a real text layer (fpdf2, embedded SimHei subset).

    The second page starts at part 二; the document info carries a title and a creation date.
    """
    if report in _PDF_CACHE:
        return _PDF_CACHE[report]
    from fpdf import FPDF

    paragraphs = _paragraphs(report)
    title = next(p for p in paragraphs if "报告" in p)
    pdf = FPDF(format="A4")
    pdf.set_title(title)
    pdf.set_creation_date(dt.datetime(2024, 2, 20, 10, 0, tzinfo=dt.UTC))
    pdf.add_font("SimHei", fname=str(_cjk_font_path()))
    pdf.set_font("SimHei", size=12)
    pdf.add_page()
    for paragraph in paragraphs:
        if paragraph.startswith("二、"):
            pdf.add_page()
        pdf.multi_cell(0, 8, paragraph, new_x="LMARGIN", new_y="NEXT")
    _PDF_CACHE[report] = data = bytes(pdf.output())
    return data


def scanned_pdf_bytes() -> bytes:
    """A PDF whose only page is an image: what a scanner produces before OCR."""
    from fpdf import FPDF
    from PIL import Image, ImageDraw

    image = Image.new("L", (400, 560), 255)
    draw = ImageDraw.Draw(image)
    for y in range(60, 520, 24):  # grey bars where lines of print would be
        draw.rectangle((40, y, 360 - (y % 5) * 20, y + 10), fill=90)
    pdf = FPDF(format="A4")
    pdf.add_page()
    pdf.image(image, x=10, y=10, w=190)
    return bytes(pdf.output())


def encrypted_pdf_bytes(user_password: str) -> bytes:
    """:func:`pdf_bytes` encrypted (RC4-128, which pypdf reads without extra packages).

    With an empty ``user_password`` the file opens without a password and only restricts
    permissions, as many published PDFs do.
    """
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf_bytes())))
    writer.encrypt(user_password=user_password, owner_password="owner-secret", algorithm="RC4-128")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _zip(members: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for member, data in members.items():
            archive.writestr(member, data)
    return out.getvalue()


def _image_bytes(fmt: str) -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (8, 8), (200, 30, 30)).save(out, format=fmt)
    return out.getvalue()


def degenerate_inputs() -> dict[str, tuple[str, bytes]]:
    """Inputs no reader can turn into a report, by name: (file name, bytes)."""
    return {
        "empty": ("empty.txt", b""),
        "whitespace": ("blank.txt", " \r\n\t\n\u3000\u3000\n".encode()),
        "png_as_txt": ("report_png.txt", _image_bytes("PNG")),
        "jpeg_as_txt": ("photo.txt", _image_bytes("JPEG")),
        "gif": ("banner.gif", _image_bytes("GIF")),
        "gzip": ("report.txt.gz", gzip.compress(XIHU_2023.encode(), mtime=0)),
        "elf": ("a.out", b"\x7fELF\x02\x01\x01\x00" + bytes(56)),
        "legacy_doc": ("report.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504)),
        "random": ("noise.bin", random.Random(20240228).randbytes(4096)),
        "other_zip": ("bundle.zip", _zip({"notes.txt": b"hello"})),
        "xlsx": ("table.xlsx", _zip({"[Content_Types].xml": b"<Types/>", "xl/workbook.xml": b"<workbook/>"})),
        "truncated_docx": ("cut.docx", docx_bytes()[:300]),
        "corrupt_docx": (
            "broken.docx",
            _zip({"[Content_Types].xml": b"<Types", "word/document.xml": b"<w:document><w:body"}),
        ),
        "corrupt_pdf": ("broken.pdf", b"%PDF-1.7\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\n%%EOF\n"),
        "scanned_pdf": ("scan.pdf", scanned_pdf_bytes()),
        "encrypted_pdf": ("locked.pdf", encrypted_pdf_bytes("secret")),
    }


def write_all(directory: Path | str) -> dict[str, Path]:
    """Write every test input into ``directory``; return their paths by fixture name.

    Names: the keys of :data:`ENCODED` (one report per encoding), ``html``, ``html_gbk``,
    ``html_as_txt``, ``docx``, ``pdf``, ``pdf_as_txt``, ``pdf_permissions_only``, and the keys
    of :func:`degenerate_inputs`.
    """
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    files: dict[str, tuple[str, bytes]] = {
        key: (file_name, encode(text, how)) for key, (text, how, file_name) in ENCODED.items()
    }
    page = gov_page_html()
    files["html"] = ("xihu_page.html", page.encode("utf-8"))
    files["html_gbk"] = ("xihu_page_gbk.htm", gov_page_html(charset="gb2312").encode("gb18030"))
    files["html_as_txt"] = ("xihu_page_saved.txt", page.encode("utf-8"))
    files["docx"] = ("xihu_report.docx", docx_bytes())
    files["pdf"] = ("xihu_report.pdf", pdf_bytes())
    files["pdf_as_txt"] = ("xihu_report_pdf.txt", pdf_bytes())
    files["pdf_permissions_only"] = ("xihu_report_protected.pdf", encrypted_pdf_bytes(""))
    files.update(degenerate_inputs())
    paths: dict[str, Path] = {}
    for key, (file_name, data) in files.items():
        path = directory / file_name
        path.write_bytes(data)
        paths[key] = path
    return paths
