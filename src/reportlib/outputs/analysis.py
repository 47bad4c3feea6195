"""The analyses the notebooks show: year over year, cross-district, report profile, parse quality.

Pure functions of the corpus frames (plus the population table); each returns tidy frames with
English column names, and :data:`LABELS` gives the Chinese header for every column::

    corpus = load_corpus()                               # data/processed, else parse seeds/
    yoy = year_over_year(corpus.metrics, corpus.reports, region="鲤城区")
    yoy.loc[yoy.indicator == "legal_aid_cases", "narrative"].item()
    # '法律援助案件由367件降至283件，减少84件，下降22.9%。'

Numbers keep full precision in the frames; rounding happens only in text (:func:`narrative`,
:func:`format_value`) and in display formats.
"""

from __future__ import annotations

import datetime as dt
import itertools
import math
import os
import re
from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal
from pathlib import Path, PurePath
from typing import Any

import pandas as pd

from reportlib.core import paths
from reportlib.core.errors import ReportlibError
from reportlib.core.numbers import HEDGE_PREFIXES
from reportlib.corpus.corrections import STATUS_ZH, ensure_corrected_columns
from reportlib.corpus.reader import Corpus
from reportlib.parsing.indicators import load_taxonomy

__all__ = [
    "CROSS_COLUMNS",
    "LABELS",
    "PARTS",
    "YOY_COLUMNS",
    "addressee_check",
    "comparable_year",
    "compare_group",
    "confidence_text",
    "cross_district",
    "explain",
    "find_report",
    "format_change",
    "format_pct",
    "format_value",
    "issuer_group",
    "load_corpus",
    "load_population",
    "narrative",
    "quality",
    "readable_codes",
    "report_label",
    "report_profile",
    "report_text",
    "required_parts",
    "resolve_indicators",
    "resolve_region",
    "shown_source",
    "split_notes",
    "timeliness",
    "year_over_year",
]

# ---------------------------------------------------------------------------- labels

#: Chinese header for every column the analyses produce (and the corpus columns they pass on).
LABELS: dict[str, str] = {
    "report_id": "报告编号",
    "source": "来源文件",
    "title": "标题",
    "issuer": "发布机关",
    "issuer_kind": "机关类型",
    "region": "地区",
    "region_code": "区划代码",
    "level": "层级",
    "report_year": "报告年度",
    "year": "年度",
    "doc_number": "文号",
    "issued_date": "成文日期",
    "published_date": "发布日期",
    "addressees": "主送",
    "cc": "抄送",
    "n_chars": "字数",
    "indicator": "指标代码",
    "indicator_name": "指标",
    "indicator_kind": "指标类型",
    "value": "数值",
    "unit": "单位",
    "unit_raw": "原文单位",
    "raw": "原文数值",
    "approx": "约数",
    "qualifier": "约数用语",
    "kind": "数值类型",
    "sentence": "依据（原文句子）",
    "start": "起始位置",
    "end": "结束位置",
    "section": "所在章节",
    "confidence": "可信度",
    "reason": "选取理由",
    "note": "说明",
    "scope": "范围",
    "scope_word": "范围用语",
    "promoted": "已采用",
    "prev_year": "上期年度",
    "prev_value": "上期数值",
    "prev_raw": "上期原文",
    "prev_approx": "上期约数",
    "prev_sentence": "上期依据（原文句子）",
    "prev_issuer": "上期发布机关",
    "prev_source": "上期来源文件",
    "prev_report_id": "上期报告编号",
    "prev_qualifier": "上期约数用语",
    "cur_qualifier": "本期约数用语",
    "cur_year": "本期年度",
    "cur_value": "本期数值",
    "cur_raw": "本期原文",
    "cur_approx": "本期约数",
    "cur_sentence": "本期依据（原文句子）",
    "cur_issuer": "本期发布机关",
    "cur_source": "本期来源文件",
    "cur_report_id": "本期报告编号",
    "abs_change": "增减",
    "change_unit": "增减单位",
    "pct_change": "变化率（%）",
    "direction": "方向",
    "scope_note": "口径说明",
    "narrative": "文字说明",
    "rank": "排名",
    "n_regions": "参与比较地区数",
    "population": "常住人口",
    "population_year": "人口年份",
    "population_source": "人口数据来源",
    "population_note": "人口数据备注",
    "per_10k": "每万人",
    "per_capita_note": "每万人说明",
    "level_note": "层级说明",
    "comparable": "参与排名",
    "compare_group": "比较组",
    "rank_basis": "排名依据",
    "compare_note": "可比性说明",
    "part": "部分",
    "part_name": "要求内容",
    "status": "情况",
    "heading": "标题",
    "evidence": "依据",
    "marker": "序号",
    "section_id": "标题编号",
    "parent_id": "上级标题编号",
    "expected": "应有",
    "found": "是否具备",
    "where": "位置",
    "check": "检查",
    "indicators": "涉及指标",
    "observed": "实际",
    "severity": "严重程度",
    "stage": "环节",
    "field": "项目",
    "n_metrics": "指标数",
    "n_mentions": "数字数",
    "n_sections": "标题数",
    "mention_id": "数字编号",
    "reports_with_value": "有数值的报告数",
    "status_zh": "情况",
    "label": "报告",
    "corrected": "已更正",
    "correction": "更正方式",
    "original_value": "原解析数值",
    "original_raw": "原解析原文",
    "correction_note": "更正说明",
    "corrected_by": "更正人",
    "corrected_at": "更正日期",
    "prev_corrected": "上期已更正",
    "prev_correction_note": "上期更正说明",
    "cur_corrected": "本期已更正",
    "cur_correction_note": "本期更正说明",
    "field_name": "项目",
    "original": "原值",
    "problem": "问题",
    "who": "更正人",
    "when": "更正日期",
    "line": "行号",
}

_DIRECTION_ZH = {"up": "上升", "down": "下降", "flat": "持平"}
_KIND_ZH = {"government": "人民政府", "department": "政府部门", "party_government": "党委政府联合", "": "未识别"}
#: A region's level as staff read it.
LEVEL_ZH = {"province": "省级", "city": "市级", "county": "县级", "township": "乡镇级", "": "未识别"}

# ---------------------------------------------------------------------------- loading


def load_corpus(processed_dir: str | os.PathLike[str] | None = None, inputs: Any = None) -> Corpus:
    """The corpus for a notebook: the frames a build wrote to ``processed_dir`` (default
    ``data/processed``) with their dtypes, or, when no parse output is there, ``inputs`` (default
    ``seeds/``) parsed on the spot, so a notebook opened in JupyterLab runs without any setup.

    An explicitly given ``processed_dir`` that holds no parse output is an error.
    """
    from reportlib.corpus.processed import has_processed, read_processed

    if processed_dir:
        return read_processed(processed_dir)
    default = paths.processed_dir()
    if has_processed(default):
        return read_processed(default)
    from reportlib.corpus.reader import read_reports

    return read_reports(inputs if inputs is not None else paths.seeds_dir())


def load_population(path: str | os.PathLike[str] | None = None) -> pd.DataFrame:
    """``data/population.csv``: resident population by division code and year, with its sources."""
    path = Path(path) if path else paths.population_csv()
    try:
        frame = pd.read_csv(path, dtype={"region_code": str, "parent_code": str}, keep_default_na=False)
    except OSError as exc:
        raise ReportlibError(f"{path}: cannot read the population table ({exc}).") from exc
    frame["year"] = frame["year"].astype(int)
    frame["population"] = frame["population"].astype(float)
    return frame


def shown_source(source: str) -> str:
    """A source file as staff see it: relative to the project (``seeds/000_….txt``), else just its
    name, never an absolute path of this machine.

    >>> shown_source("seeds/000.txt"), shown_source("/home/someone/下载/鲤城区2023.txt"), shown_source("")
    ('seeds/000.txt', '鲤城区2023.txt', '')
    """
    if not source:
        return ""
    path = PurePath(str(source))
    if not path.is_absolute():
        return str(path)
    try:
        return str(Path(path).relative_to(paths.project_root()))
    except ValueError:
        return path.name


def report_text(report: Mapping[str, Any]) -> str | None:
    """The decoded text of a report's ``source`` file (offsets of the frames refer to it), or
    ``None`` when the file is no longer there. Relative sources are looked up under the
    project root, then the working directory."""
    from reportlib.parsing.parse import read_bytes
    from reportlib.reading.formats import extract

    source = Path(str(report.get("source", "")))
    for candidate in ([source] if source.is_absolute() else [paths.project_root() / source, source]):
        if candidate.is_file():
            try:
                return extract(read_bytes(candidate), str(candidate)).text
            except ReportlibError:
                return None
    return None


def resolve_region(reports: pd.DataFrame, region: str) -> tuple[str, str]:
    """``(region_code, region name)`` for a region name or 6-digit code found in ``reports``.

    Raises :class:`ReportlibError` listing the known regions when ``region`` is unknown or
    names several divisions (then pass the code).
    """
    known = reports[reports["region_code"] != ""][["region_code", "region"]].drop_duplicates()
    hits = known[(known["region"] == region) | (known["region_code"] == region)]
    if hits.empty:
        names = "、".join(f"{r.region}（{r.region_code}）" for r in known.itertuples())
        raise ReportlibError(f"没有“{region}”的报告；现有地区：{names or '无'}")
    if len(hits) > 1:
        codes = ", ".join(hits["region_code"])
        raise ReportlibError(f"地区名“{region}”对应多个行政区划（{codes}），请改用6位行政区划代码")
    return str(hits.iloc[0]["region_code"]), str(hits.iloc[0]["region"])


def resolve_indicators(wanted: Iterable[str] | str | None) -> list[str]:
    """Indicator ids for ``wanted``, each given by its id (``legal_aid_cases``) or its Chinese name
    (``法律援助案件``, also a name the text may use such as ``出庭应诉率``). Empty means all.

    Raises :class:`ReportlibError` naming the unknown ones and listing every valid id with its name.

    >>> resolve_indicators(["法律援助案件", "admin_reconsideration_accepted"])
    ['legal_aid_cases', 'admin_reconsideration_accepted']
    >>> resolve_indicators("出庭应诉率"), resolve_indicators(None)
    (['admin_litigation_appearance_rate'], [])
    >>> resolve_indicators('["法律援助案件", "调解成功"]'), resolve_indicators("法律援助案件、调解成功")
    (['legal_aid_cases', 'mediation_success'], ['legal_aid_cases', 'mediation_success'])
    """
    if not wanted:
        return []
    if isinstance(wanted, str):  # from a command line: 法律援助案件、行政复议受理 or ["legal_aid_cases"]
        items = [w for w in re.split(r"[\[\]\"'、，,;；\s]+", wanted) if w]
    else:
        items = list(wanted)
    taxonomy = load_taxonomy()
    by_name: dict[str, str] = {}
    for ind in taxonomy.indicators:
        by_name.setdefault(ind.id, ind.id)
        by_name.setdefault(ind.name_zh, ind.id)
        for _, _, name in ind.named_as:
            by_name.setdefault(name, ind.id)
    unknown = [str(w) for w in items if str(w).strip() not in by_name]
    if unknown:
        valid = "、".join(f"{i.id}（{i.name_zh}）" for i in taxonomy.indicators)
        raise ReportlibError(f"未知指标：{'、'.join(unknown)}。可用的指标代码（或中文名）：{valid}")
    return list(dict.fromkeys(by_name[str(w).strip()] for w in items))


def find_report(reports: pd.DataFrame, region: str = "", year: int | None = None, issuer: str = "") -> str:
    """The id of the one report of ``region`` (name or code), ``year`` and ``issuer`` (a part of the
    issuer's name is enough: 司法局, 人民政府); any of them may be left out when the rest is unique.

    Raises :class:`ReportlibError` listing the candidates when none or several match.
    """
    frame = reports
    if region:
        frame = frame[(frame["region"] == region) | (frame["region_code"] == region)]
    if year:
        frame = frame[frame["report_year"] == int(year)]
    if issuer:
        frame = frame[frame["issuer"].astype(str).str.contains(issuer, regex=False)]
    if len(frame) == 1:
        return str(frame["report_id"].iloc[0])
    asked = "，".join(x for x in (region, f"{year}年" if year else "", issuer) if x) or "（未指定）"
    pool = frame if len(frame) else reports
    listing = "；".join(f"{report_label(r)}（{r['report_id']}）" for r in pool.to_dict("records"))
    if frame.empty:
        raise ReportlibError(f"没有符合“{asked}”的报告。现有报告：{listing}")
    raise ReportlibError(f"符合“{asked}”的报告有{len(frame)}份，请再指定年度或发布机关：{listing}")


#: The parser's notes and reasons (English, in the frames) as staff read them; one pattern per template.
_EXPLAIN: tuple[tuple[re.Pattern[str], str], ...] = tuple((re.compile(p), r) for p, r in (
    (r"^figure of a sub-unit \((.+)\), not the jurisdiction's total$", r"\1的数字，不是{whole}合计"),
    (r"^figure of a sub-group \((.+)\), not the total$", r"\1等部分群体的数字，不是总数"),
    (r"^figure of another jurisdiction \((.+)\)$", r"其他地区（\1）的数字"),
    (r"^figure for part of the year \((.+)\)$", r"部分时段（\1）的数字，不是全年"),
    (r"^figure for an earlier year \(the (.+) column of a table\), not the report year's$", r"表格“\1”列的数字，不是报告年度的"),
    (r"^a total pooled with (.+) \(several kinds listed together\), not this indicator's figure$", r"与\1等合并计算的总数，不是本指标的数字"),
    (r"^a change, not a level$", "是增减数，不是总量"),
    (r"^a share, not a level$", "是占比，不是总量"),
    (r"^a target, not a level$", "是目标值，不是实际完成数"),
    (r"^a (\w+), not a level$", "不是总量"),
    (r"^in the plans for next year$", "出现在下一年度工作安排中"),
    (r"^whole-jurisdiction figure \((.+)\)$", r"全域数字（原文“\1”）"),
    (r"^only level figure with this wording$", "该表述下唯一的总量数字"),
    (r"^in the main-results part$", "位于“主要举措和成效”部分"),
    (r"^other values for this indicator: (.+)$", r"该指标另有数值：\1"),
    (r"^(\d+) sub-scope or non-level mention\(s\) kept in mentions$", r"另有\1处下级单位、部分群体或非总量的数字未采用"),
    (r"^published as (.+)$", r"公布数为\1"),  # population.csv notes
    # problems: what could not be read, as staff read it
    (r"^duplicate of (.+): kept once$", r"与\1重复，只保留一份"),
    (r"^no title line naming 法治政府建设…报告 found$", "未找到含“法治政府建设……报告”的标题"),
    (r"^report year not found in the title or first lines$", "标题和开头几行中未找到报告年度"),
    (r"^issuer not found in the title, header or signature$", "标题、抬头和落款中未找到发布机关"),
    (r"^issuer not found in the title, page metadata, signature or first sentences$", "标题、网页信息栏、落款和开头几句中未找到发布机关"),
    (r"^superseded by (.+) \(marked as corrected or revised\): not used$", r"已被更正版\1取代，未采用"),
    (r"^superseded by (.+) \((?:published later|issued later|file is newer)\): not used$", r"已被较晚的版本\1取代，未采用"),
    (r"^superseded by (.+) \((.+)\): not used$", r"已被\1取代（\2），未采用"),
    (r"^another version of (.+) \(same issuer, year and title, other numbers\) and nothing tells which is later: both kept; remove the wrong one$",
     r"与\1是同一报告的不同版本（发布机关、年度、标题相同而数字不同），无法判断哪份较新：两份都保留，请删除错误的一份"),
    (r"^took longer than (\d+) s to parse: not read$", r"解析超过\1秒，未读取"),
    (r"^file does not exist$", "文件不存在"),
    (r"^not read: a page written by reportlib \(an output, not a report\)$", "未读取：这是 reportlib 生成的页面，不是报告"),
    (r"^directory holds no reports \((.+)\)$", r"文件夹中没有报告（支持\1）"),
    (r"^is a directory, not a file$", "是文件夹，不是文件"),
    (r"^permission denied: the file cannot be read$", "没有读取权限"),
    (r"^not a regular file \(a pipe, device or socket\), not a report file$", "不是普通文件（管道、设备或套接字），不是报告文件"),
    (r"^file is too large \((.+)\)$", r"文件过大（\1）"),
    (r"^file is too large \(over (.+)\)$", r"文件过大（超过\1）"),
    (r"^\.docx unpacks to (.+)$", r".docx解压后过大：\1"),
    (r"^(.+) is too long \(over (.+) of text\); no report is that long$", r"\1过长（文字超过\2），没有这么长的报告"),
    (r"^no text left after removing page furniture$", "去掉网页栏目后没有正文"),
    (r"^not a report: no title naming 法治政府建设 and no report year found$", "不是年度报告：没有含“法治政府建设”的标题，也没有报告年度"),
    (r"^HTML page holds no visible text$", "网页没有可见文字"),
    (r"^\.docx file holds no text$", ".docx文件没有文字"),
    (r"^PDF has no pages$", "PDF没有页面"),
    (r"^PDF text layer is unreadable \(fonts without Unicode mapping\); run OCR first$", "PDF文字层无法读取（字体无Unicode映射），请先做文字识别"),
    (r"^RTF document is not supported; save as \.docx$", "不支持RTF文档，请另存为 .docx"),
    (r"^cannot be read \((.+)\)$", r"无法读取（\1）"),
    (r"^unreadable HTML \((.+)\)$", r"网页无法解析（\1）"),
    (r"^implausible magnitude: kept as written, not used$", "数量级不合常理：按原文保留，未采用"),
    (r"^no administrative division found in issuer (.+)$", r"发布机关\1中未找到行政区划"),
    (r"^text ends mid-sentence: the file looks truncated; parsed what is there$", "正文在句中结束，文件可能不完整；已解析现有部分"),
    (r"^empty file \(0 bytes\)$", "空文件（0字节）"),
    (r"^file holds only whitespace$", "文件只有空白"),
    (r"^legacy Word \.doc is not supported; save as \.docx$", "不支持旧版Word .doc，请另存为 .docx"),
    (r"^PDF has no text layer \(scanned image\?\); run OCR first$", "PDF没有文字层（可能是扫描件），请先做文字识别"),
    (r"^PDF is encrypted \(password required\); remove the password first$", "PDF已加密，请先去除密码"),
    (r"^binary file \(looks like (.+)\), not a text report$", r"二进制文件（看来是\1），不是文字报告"),
    (r"^binary data, not text in any supported encoding$", "二进制数据，不是任何支持编码的文字"),
    (r"^not read: (\S+) is not a report format \((.+)\)$", r"未读取：\1 不是报告格式（支持\2）"),
    (r"^corrupt PDF \((.+)\)$", r"PDF文件已损坏（\1）"),
    (r"^corrupt \.docx file \((.+)\)$", r".docx文件已损坏（\1）"),
    (r"^corrupt or truncated ZIP/\.docx file \((.+)\)$", r"ZIP/.docx文件已损坏或不完整（\1）"),
    (r"^(.+), not a text report$", r"\1，不是文字报告"),
))


def explain(text: str, region: str = "") -> str:
    """A parser note, reason or problem (English templates, ``;``-separated for reasons) in
    Chinese; text no template knows stays as it is. ``region`` names the whole (全区, 全市) for
    sub-unit notes; a file named in a note is named without its folder.

    >>> explain("figure of a sub-unit (社区), not the jurisdiction's total", "鲤城区")
    '社区的数字，不是全区合计'
    >>> explain("whole-jurisdiction figure (全区); in the main-results part; other values for this indicator: 3件, 5件")
    '全域数字（原文“全区”）；位于“主要举措和成效”部分；该指标另有数值：3件、5件'
    >>> explain("PDF is encrypted (password required); remove the password first")
    'PDF已加密，请先去除密码'
    >>> explain("superseded by b更正版.txt (marked as corrected or revised): not used")
    '已被更正版b更正版.txt取代，未采用'
    >>> explain("duplicate of /tmp/in/wuhou_gbk.txt: kept once"), explain(""), explain("已是中文")
    ('与wuhou_gbk.txt重复，只保留一份', '', '已是中文')
    """
    whole = f"全{region[-1]}" if region else "全域"

    def one(piece: str) -> str | None:
        for pattern, replacement in _EXPLAIN:
            match = pattern.match(piece)
            if match:
                if pattern.pattern.startswith("^duplicate of"):
                    return f"与{PurePath(match.group(1)).name}重复，只保留一份"
                out = pattern.sub(replacement, piece).replace("{whole}", whole)
                return out.replace(", ", "、") if "other values" in pattern.pattern else out
        return None

    text = str(text or "").strip()
    if not text:
        return ""
    found = one(text)
    if found is not None:
        return found
    pieces = [p.strip() for p in text.split(";") if p.strip()]
    translated = [one(p) for p in pieces]
    if not any(t is not None for t in translated):
        return text
    return "；".join(t if t is not None else p for p, t in zip(pieces, translated, strict=True))


def confidence_text(value: float | None) -> str:
    """A confidence score as a word: 高 (0.9 and up: a whole-jurisdiction figure under the
    indicator's own wording), 中 (0.7 to 0.9), 低 (below: a sub-unit, a change, another value
    given too). The reason is in the 选取理由 column.

    >>> confidence_text(0.95), confidence_text(0.75), confidence_text(0.3), confidence_text(None)
    ('高', '中', '低', '')
    """
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    return "高" if value >= 0.9 else "中" if value >= 0.7 else "低"


# ---------------------------------------------------------------------------- number formatting


def _dec(value: float) -> Decimal:
    return Decimal(repr(float(value)))


def _plain(number: Decimal) -> str:
    """Shortest plain notation of ``number``.

    >>> _plain(Decimal("5.6E+4")), _plain(Decimal("502.40")), _plain(Decimal("-0"))
    ('56000', '502.4', '0')
    """
    text = format(number.normalize(), "f")
    return "0" if text in ("-0", "0") else text


#: Qualifiers shown before a figure as the report wrote them (约283件); others become 约.
_PREFIX_HEDGES = (*HEDGE_PREFIXES, "达")


def format_value(value: float, unit: str, approx: bool = False, qualifier: str = "") -> str:
    """A value as a Chinese text shows it: money in 万元 with the precision it has, rates with
    ``%``, counts with their unit; hedged values keep their hedge (``约``, or the word before
    the number when the report used one such as 近/超).

    >>> format_value(367, "件"), format_value(5024000, "元", True, "约"), format_value(99.9, "%")
    ('367件', '约502.4万元', '99.9%')
    >>> format_value(400, "场", True, "多"), format_value(80, "人", True, "超"), format_value(560000000, "元")
    ('约400场', '超80人', '56000万元')
    """
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    if unit == "元":
        text = _plain(_dec(value) / Decimal(10000)) + "万元"
    else:
        text = _plain(_dec(value)) + unit
    if approx:
        text = (qualifier if qualifier in _PREFIX_HEDGES else "约") + text
    return text


#: Decimals of a percent change wherever it is shown: table, chart label and narrative.
PCT_DECIMALS = 1
MINUS = "\u2212"


def format_pct(value: float | None, signed: bool = True) -> str:
    """A percent change rounded once, the same way everywhere: ``−22.9%`` (``22.9%`` unsigned).

    >>> format_pct(-22.888283), format_pct(29.68), format_pct(-22.888283, signed=False), format_pct(float("nan"))
    ('−22.9%', '+29.7%', '22.9%', '')
    """
    if value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NA:
        return ""
    text = f"{abs(float(value)):,.{PCT_DECIMALS}f}"
    if not signed or float(text.replace(",", "")) == 0:
        return text + "%"
    return ("+" if value > 0 else MINUS) + text + "%"


def format_change(value: float, unit: str, approx: bool = False) -> str:
    """The size of a change (no sign) in the unit of the values; percentage points for rates.

    >>> format_change(84, "件"), format_change(2451000, "元", True), format_change(1.3, "%")
    ('84件', '约245.1万元', '1.3个百分点')
    """
    magnitude = abs(value)
    if unit == "%":
        text = _plain(_dec(magnitude)) + "个百分点"
    elif unit == "元":
        text = _plain(_dec(magnitude) / Decimal(10000)) + "万元"
    else:
        text = _plain(_dec(magnitude)) + unit
    return ("约" if approx else "") + text


def _kind_of(indicator: str, unit: str) -> str:
    try:
        return load_taxonomy()[indicator].kind
    except KeyError:
        return "rate" if unit == "%" else "amount" if unit == "元" else "count"


def _taxonomy_order() -> dict[str, int]:
    return {ind: i for i, ind in enumerate(load_taxonomy().ids)}


# ---------------------------------------------------------------------------- shared selection

_KIND_PREFERENCE = {"government": 0, "party_government": 1, "department": 2, "": 3}


def _primary(metrics: pd.DataFrame, reports: pd.DataFrame) -> pd.DataFrame:
    """One metric per (region_code, report_year, indicator): when a region has several reports for a
    year, the most confident figure wins, then the government's report over a department's.
    ``other_reports`` lists what the other reports of that year gave, for the notes."""
    meta = reports[["report_id", "issuer_kind", "level", "title"]]
    metrics = ensure_corrected_columns(metrics)
    frame = metrics.merge(meta, on="report_id", how="left", suffixes=("", "_report"))
    frame = frame[(frame["region_code"] != "") & frame["report_year"].notna()].copy()
    frame["report_year"] = frame["report_year"].astype(int)
    frame["_pref"] = frame["issuer_kind"].fillna("").map(_KIND_PREFERENCE).fillna(3)
    frame = frame.sort_values(["region_code", "report_year", "indicator", "confidence", "_pref", "report_id"],
                              ascending=[True, True, True, False, True, True])
    frame["other_reports"] = ""
    keys = ["region_code", "report_year", "indicator"]
    dup = frame.duplicated(keys, keep=False)
    if dup.any():
        for _, group in frame[dup].groupby(keys, sort=False):
            others = "；".join(f"{r.issuer}的报告为{r.raw}" for r in group.iloc[1:].itertuples())
            frame.loc[group.index[0], "other_reports"] = others
    return frame.drop_duplicates(keys, keep="first").drop(columns="_pref")


# ---------------------------------------------------------------------------- year over year

YOY_COLUMNS = (
    "region_code", "region", "level", "indicator", "indicator_name", "indicator_kind", "unit",
    "prev_year", "prev_value", "prev_raw", "prev_approx", "prev_sentence", "prev_issuer", "prev_source", "prev_report_id",
    "cur_year", "cur_value", "cur_raw", "cur_approx", "cur_sentence", "cur_issuer", "cur_source", "cur_report_id",
    "abs_change", "change_unit", "pct_change", "direction", "scope_note", "narrative", "prev_qualifier", "cur_qualifier",
    "prev_corrected", "prev_correction_note", "cur_corrected", "cur_correction_note",
)


def _year_pairs(years: Sequence[int], from_year: int | None, to_year: int | None, latest: bool) -> list[tuple[int, int]]:
    """Which (previous, current) years to compare.

    >>> _year_pairs([2021, 2022, 2024], None, None, False)
    [(2021, 2022), (2022, 2024)]
    >>> _year_pairs([2021, 2022, 2024], None, None, True), _year_pairs([2021, 2022, 2024], 2021, None, False)
    ([(2022, 2024)], [(2021, 2022)])
    >>> _year_pairs([2021, 2022, 2024], None, 2022, False), _year_pairs([2021, 2022, 2024], 2021, 2024, False)
    ([(2021, 2022)], [(2021, 2024)])
    >>> _year_pairs([2023], None, None, False), _year_pairs([2021, 2022], 2020, 2022, False)
    ([], [])
    """
    years = sorted(set(years))
    if from_year and to_year:
        return [(from_year, to_year)] if from_year in years and to_year in years and from_year < to_year else []
    if from_year:
        later = [y for y in years if y > from_year]
        return [(from_year, later[0])] if from_year in years and later else []
    if to_year:
        earlier = [y for y in years if y < to_year]
        return [(earlier[-1], to_year)] if to_year in years and earlier else []
    pairs = list(itertools.pairwise(years))
    return pairs[-1:] if latest else pairs


def _scope_note(prev: pd.Series, cur: pd.Series) -> str:
    notes = []
    if prev["issuer"] != cur["issuer"]:
        notes.append(
            f"{prev['report_year']}年数据来自{prev['issuer']}的报告，{cur['report_year']}年数据来自{cur['issuer']}的报告；两者口径可能不同"
        )
    for side in (prev, cur):
        if side["approx"]:
            notes.append(f"{side['report_year']}年数值为约数（原文“{side['raw']}”）")
    if prev["unit"] != cur["unit"]:
        notes.append(f"两年单位不同（{prev['unit_raw'] or prev['unit']}／{cur['unit_raw'] or cur['unit']}）")
    if prev["indicator_name"] != cur["indicator_name"]:
        notes.append(f"两年原文口径不同：{prev['report_year']}年为“{prev['indicator_name']}”，"
                     f"{cur['report_year']}年为“{cur['indicator_name']}”")
    gap = cur["report_year"] - prev["report_year"]
    if gap > 1:
        notes.append(f"两期相隔{gap}年，中间年份无报告")
    for side in (prev, cur):
        if side.get("other_reports"):
            notes.append(f"{side['report_year']}年另有{side['other_reports']}")
    return "；".join(notes) + ("。" if notes else "")


def year_over_year(
    metrics: pd.DataFrame,
    reports: pd.DataFrame,
    region: str | None = None,
    indicators: Iterable[str] | None = None,
    from_year: int | None = None,
    to_year: int | None = None,
    *,
    latest: bool = False,
) -> pd.DataFrame:
    """Year-over-year change per region and indicator, with the evidence of both years.

    ``region`` is a region name (鲤城区) or a 6-digit code; ``indicators`` restricts the indicator
    ids (default: every indicator both years share). By default every pair of consecutive report
    years of a region is compared; ``from_year``/``to_year`` pick one pair and ``latest`` keeps
    only the most recent one. Columns: :data:`YOY_COLUMNS`; ``pct_change`` is a percent number in
    full precision (empty for rates, whose change is in percentage points, and when the previous
    value is 0); ``scope_note`` says when the two years come from different issuers or a value is
    approximate. An unknown region or one with a single year gives an empty frame.
    """
    frame = _primary(metrics, reports)
    if region:
        frame = frame[(frame["region"] == region) | (frame["region_code"] == region)]
    indicators = resolve_indicators(indicators)
    if indicators:
        frame = frame[frame["indicator"].isin(indicators)]
    order = _taxonomy_order()
    rows: list[dict[str, Any]] = []
    for code, group in frame.groupby("region_code", sort=True):
        for prev_year, cur_year in _year_pairs(group["report_year"].tolist(), from_year, to_year, latest):
            prev = group[group["report_year"] == prev_year].set_index("indicator")
            cur = group[group["report_year"] == cur_year].set_index("indicator")
            shared = sorted(set(prev.index) & set(cur.index), key=lambda i: (order.get(i, 999), i))
            for ind in shared:
                rows.append(_yoy_row(code, ind, prev.loc[ind], cur.loc[ind]))
    result = pd.DataFrame(rows, columns=list(YOY_COLUMNS))
    for col in ("prev_year", "cur_year"):
        result[col] = result[col].astype("int64")
    for col in ("prev_value", "cur_value", "abs_change", "pct_change"):
        result[col] = result[col].astype("float64")
    for col in ("prev_approx", "cur_approx", "prev_corrected", "cur_corrected"):
        result[col] = result[col].astype(bool)
    return result


def _plain_name(indicator: str, row: pd.Series) -> str:
    try:
        return load_taxonomy()[indicator].plain_name
    except KeyError:
        return str(row["indicator_name"])


def _yoy_row(code: str, ind: str, prev: pd.Series, cur: pd.Series) -> dict[str, Any]:
    unit = cur["unit"]
    kind = _kind_of(ind, unit)
    change = float(_dec(cur["value"]) - _dec(prev["value"]))
    pct = math.nan if kind == "rate" or prev["value"] == 0 else change / prev["value"] * 100
    row: dict[str, Any] = {
        "region_code": code,
        "region": cur["region"],
        "level": cur["level"],
        "indicator": ind,
        # a name both years' texts support: the plain one when one year says more (负责人)
        "indicator_name": cur["indicator_name"] if cur["indicator_name"] == prev["indicator_name"] else _plain_name(ind, cur),
        "indicator_kind": kind,
        "unit": unit,
        "abs_change": change,
        "change_unit": "个百分点" if unit == "%" else unit,
        "pct_change": pct,
        "direction": "up" if change > 0 else "down" if change < 0 else "flat",
        "scope_note": _scope_note(prev, cur),
    }
    for prefix, side in (("prev", prev), ("cur", cur)):
        row[f"{prefix}_year"] = int(side["report_year"])
        row[f"{prefix}_value"] = float(side["value"])
        row[f"{prefix}_raw"] = side["raw"]
        row[f"{prefix}_approx"] = bool(side["approx"])
        row[f"{prefix}_qualifier"] = side["qualifier"]
        row[f"{prefix}_sentence"] = side["sentence"]
        row[f"{prefix}_issuer"] = side["issuer"]
        row[f"{prefix}_source"] = side["source"]
        row[f"{prefix}_report_id"] = side["report_id"]
        row[f"{prefix}_corrected"] = bool(side["corrected"])
        row[f"{prefix}_correction_note"] = str(side["correction_note"] or "")
    row["narrative"] = narrative(row)
    return row


def split_notes(notes: Sequence[str]) -> tuple[list[str], list[str]]:
    """Notes that every row shares (said once, above the table) and what is left for each row.

    >>> split_notes(["甲；乙。", "甲；丙。", "甲。"])
    (['甲'], ['乙', '丙', ''])
    >>> split_notes(["甲。"]), split_notes([])
    ((['甲'], ['']), ([], []))
    """
    parts = [[p for p in str(n).rstrip("。").split("；") if p] for n in notes]
    if not parts:
        return [], []
    common = [p for p in parts[0] if all(p in other for other in parts[1:])]
    return common, ["；".join(p for p in row if p not in common) for row in parts]


def narrative(row: Mapping[str, Any] | pd.Series) -> str:
    """One Chinese sentence for a year-over-year row.

    >>> base = {"indicator_name": "法律援助案件", "unit": "件", "indicator_kind": "count"}
    >>> narrative({**base, "prev_value": 367.0, "cur_value": 283.0})
    '法律援助案件由367件降至283件，减少84件，下降22.9%。'
    >>> narrative({**base, "prev_value": 283.0, "cur_value": 367.0})
    '法律援助案件由283件增至367件，增加84件，上升29.7%。'
    >>> narrative({**base, "prev_value": 0.0, "cur_value": 5.0})
    '法律援助案件由0件增至5件，增加5件。'
    >>> narrative({"indicator_name": "出庭应诉率", "unit": "%", "indicator_kind": "rate", "prev_value": 98.7, "cur_value": 100.0})
    '出庭应诉率由98.7%升至100%，提高1.3个百分点。'
    >>> narrative({"indicator_name": "出庭应诉率", "unit": "%", "prev_value": 100.0, "cur_value": 100.0})
    '出庭应诉率与上年持平，均为100%。'
    >>> narrative({"indicator_name": "挽回损失", "unit": "元", "prev_value": 5024000.0, "cur_value": 2573000.0,
    ...            "prev_approx": True, "cur_approx": True, "prev_qualifier": "约", "cur_qualifier": "约"})
    '挽回损失由约502.4万元降至约257.3万元，减少约245.1万元，下降约48.8%。'
    """
    name = row["indicator_name"]
    unit = row["unit"]
    kind = row.get("indicator_kind") or ("rate" if unit == "%" else "amount" if unit == "元" else "count")
    prev_approx, cur_approx = bool(row.get("prev_approx", False)), bool(row.get("cur_approx", False))
    hedged = prev_approx or cur_approx
    prev_text = format_value(row["prev_value"], unit, prev_approx, row.get("prev_qualifier", ""))
    cur_text = format_value(row["cur_value"], unit, cur_approx, row.get("cur_qualifier", ""))
    change = float(_dec(row["cur_value"]) - _dec(row["prev_value"]))
    if change == 0:
        return f"{name}与上年持平，均为{cur_text}。"
    up = change > 0
    size = format_change(change, unit, hedged)
    if kind == "rate" or unit == "%":
        return f"{name}由{prev_text}{'升至' if up else '降至'}{cur_text}，{'提高' if up else '下降'}{size}。"
    text = f"{name}由{prev_text}{'增至' if up else '降至'}{cur_text}，{'增加' if up else '减少'}{size}"
    if row["prev_value"]:
        pct = abs(change) / abs(row["prev_value"]) * 100
        text += f"，{'上升' if up else '下降'}{'约' if hedged else ''}{format_pct(pct, signed=False)}"
    return text + "。"


# ---------------------------------------------------------------------------- cross-district

CROSS_COLUMNS = (
    "year", "region_code", "region", "level", "issuer", "issuer_kind", "report_id", "source",
    "indicator", "indicator_name", "indicator_kind", "unit", "value", "raw", "approx", "sentence",
    "rank", "n_regions", "population", "population_year", "population_source", "population_note",
    "per_10k", "per_capita_note", "level_note", "doc_number", "comparable", "compare_group", "rank_basis", "compare_note",
    "corrected", "original_value", "correction_note",
)

#: Issuer kinds whose reports speak for the whole jurisdiction (compared with each other).
_WHOLE_KINDS = frozenset({"government", "party_government"})


def issuer_group(kind: str) -> str:
    """Which reports compare with which: a government's (or a joint Party–government) report
    speaks for the whole jurisdiction, a department's for its own field.

    >>> issuer_group("government"), issuer_group("party_government"), issuer_group("department"), issuer_group("")
    ('人民政府', '人民政府', '政府部门', '未识别')
    """
    if kind in _WHOLE_KINDS:
        return "人民政府"
    return "政府部门" if kind == "department" else "未识别"


def compare_group(level: str, issuer_kind: str, indicator_name: str, unit: str) -> str:
    """The label of the set of rows that may be ranked against each other: same level, same
    kind of issuer, the same indicator wording and the same unit.

    >>> compare_group("county", "department", "法律援助案件", "件")
    '县级·政府部门·法律援助案件·件'
    """
    return "·".join((LEVEL_ZH.get(level or "", level or "未识别"), issuer_group(issuer_kind or ""), indicator_name, unit))


def comparable_year(reports: pd.DataFrame) -> int | None:
    """The report year with the most regions that can be compared with each other (same level,
    same kind of issuer); on a tie the latest. ``None`` without dated reports.

    The notebook's default: a year whose reports are a city bureau and a district government
    has two regions but nothing comparable.
    """
    dated = reports[(reports["region_code"] != "") & reports["report_year"].notna()]
    if dated.empty:
        return None
    keyed = dated.assign(_y=dated["report_year"].astype(int), _l=dated["level"].fillna(""),
                         _k=dated["issuer_kind"].fillna("").map(issuer_group))
    sizes = keyed.groupby(["_y", "_l", "_k"])["region_code"].nunique().groupby(level="_y").max()
    best = sizes.max()
    return int(max(y for y, n in sizes.items() if n == best))


def common_population_year(population: pd.DataFrame, codes: set[str], year: int) -> int | None:
    """The one population year a comparison states: the year with data for the most of ``codes``,
    the nearest to ``year`` on a tie (a region without that year keeps its nearest).

    >>> pop = pd.DataFrame({"region_code": ["a", "a", "b"], "year": [2020, 2023, 2020]})
    >>> common_population_year(pop, {"a", "b"}, 2023), common_population_year(pop, {"a"}, 2023)
    (2020, 2023)
    """
    rows = population[population["region_code"].isin(codes)]
    if rows.empty:
        return None
    counts = rows.groupby("year")["region_code"].nunique()
    return int(min(counts.index, key=lambda y: (-counts[y], abs(int(y) - year), -int(y))))


def _nearest_population(population: pd.DataFrame, code: str, year: int) -> pd.Series | None:
    """The population row of ``code`` nearest to ``year``; on a tie the earlier year."""
    rows = population[population["region_code"] == code]
    if rows.empty:
        return None
    distance = (rows["year"] - year).abs()
    best = rows.assign(_d=distance).sort_values(["_d", "year"]).iloc[0]
    return best


def _own_work(indicator: str) -> bool:
    try:
        return bool(load_taxonomy()[indicator].source.get("issuer_own", False))
    except KeyError:
        return False


def _why_not_comparable(row: Mapping[str, Any], main: Mapping[str, Any], others: str) -> str:
    """Chinese reason why ``row`` is not ranked with ``main`` (a row of the regions ``others``)."""
    reasons = []
    if row["level"] != main["level"]:
        reasons.append(f"{row['region']}为{LEVEL_ZH.get(row['level'], '未识别层级')}数据，"
                       f"{others}为{LEVEL_ZH.get(main['level'], '未识别层级')}数据")
    if issuer_group(row["issuer_kind"]) != issuer_group(main["issuer_kind"]):
        reasons.append(f"本数来自{row['issuer']}的报告（{issuer_group(row['issuer_kind'])}），"
                       f"{others}的数来自{issuer_group(main['issuer_kind'])}的报告")
    if row["indicator_name"] != main["indicator_name"]:
        reasons.append(f"原文为“{row['indicator_name']}”，{others}为“{main['indicator_name']}”，口径不同")
    if row["unit"] != main["unit"]:
        reasons.append(f"单位为“{row['unit']}”，{others}为“{main['unit']}”")
    return "；".join(reasons)


def cross_district(
    metrics: pd.DataFrame,
    reports: pd.DataFrame,
    year: int,
    indicators: Iterable[str] | None = None,
    per_capita: bool = True,
    population: pd.DataFrame | None = None,
    *,
    min_regions: int = 2,
) -> pd.DataFrame:
    """Regions side by side for one report year: one row per (region, indicator).

    Only like is ranked with like: rows of an indicator are grouped by level, kind of issuer
    (a government's report against a department's is not compared), the indicator's wording in
    the text (出庭应诉率 is not 行政机关负责人出庭应诉率) and the unit (条 against 份 is not
    compared); see :func:`compare_group`. The largest group of two or more regions is ranked
    (``comparable`` true): by ``per_10k`` when every region in it has population data
    (``rank_basis`` 每万人), else by value; 1 is the largest, ties share a rank. Every other row
    is shown unranked with ``compare_note`` saying, in Chinese, why. ``n_regions`` is the size
    of the ranked group.

    ``indicators`` defaults to those at least ``min_regions`` regions report that year.
    ``per_10k`` divides counts and amounts by the resident population (``data/population.csv``
    unless ``population`` is given) of the nearest year, named in ``population_year``; rates are
    not divided, nor are a department's figures of its own work (``issuer_own`` in the
    taxonomy: the bureau's 依申请公开 requests are not the city's). A region without population
    data gets the note 「无人口数据，未计算每万人指标」; when a city stands next to districts,
    ``level_note`` says they are not directly comparable.
    """
    frame = _primary(metrics, reports)
    frame = frame[frame["report_year"] == int(year)]
    indicators = resolve_indicators(indicators)
    if indicators:
        frame = frame[frame["indicator"].isin(indicators)]
    else:
        counts = frame.groupby("indicator")["region_code"].nunique()
        frame = frame[frame["indicator"].isin(counts[counts >= min_regions].index)]
    if per_capita and population is None:
        population = load_population()
    order = _taxonomy_order()
    levels = set(frame["level"].fillna(""))
    mixed = len(levels - {""}) > 1
    numbers = reports.set_index("report_id")["doc_number"].to_dict() if "doc_number" in reports.columns else {}
    pop_year = common_population_year(population, set(frame["region_code"]), int(year)) if population is not None else None
    rows: list[dict[str, Any]] = []
    for r in frame.itertuples(index=False):
        kind = _kind_of(r.indicator, r.unit)
        row: dict[str, Any] = {
            "year": int(year), "region_code": r.region_code, "region": r.region, "level": r.level or "",
            "issuer": r.issuer, "issuer_kind": r.issuer_kind or "", "report_id": r.report_id, "source": r.source,
            "indicator": r.indicator, "indicator_name": r.indicator_name, "indicator_kind": kind, "unit": r.unit,
            "value": float(r.value), "raw": r.raw, "approx": bool(r.approx), "sentence": r.sentence,
            "population": math.nan, "population_year": pd.NA, "population_source": "", "population_note": "",
            "per_10k": math.nan, "per_capita_note": "", "level_note": "",
            "corrected": bool(r.corrected), "original_value": float(r.original_value),
            "correction_note": str(r.correction_note or ""),
            "doc_number": str(numbers.get(r.report_id, "") or ""),
        }
        if mixed and r.level != "county":
            row["level_note"] = f"{r.region}为{LEVEL_ZH.get(r.level or '', '')}数据，与区县不可直接比较"
        if per_capita and population is not None:
            pop = _nearest_population(population, r.region_code, pop_year or int(year))
            if kind == "rate":
                row["per_capita_note"] = "比率指标，不按人口折算"
            elif pop is None:
                row["per_capita_note"] = "无人口数据，未计算每万人指标"
            else:
                row.update(population=float(pop["population"]), population_year=int(pop["year"]),
                           population_source=str(pop["source"]), population_note=explain(str(pop.get("note", ""))))
                if kind == "rate":
                    row["per_capita_note"] = "比率指标，不按人口折算"
                elif row["issuer_kind"] not in _WHOLE_KINDS and _own_work(r.indicator):
                    row["per_capita_note"] = f"{r.issuer}本部门工作的数字，不是全{r.region[-1]}合计，不按人口折算"
                else:
                    row["per_10k"] = float(r.value) / float(pop["population"]) * 10000
                    gap = abs(int(pop["year"]) - int(year))  # the stated year against the data year
                    row["per_capita_note"] = f"人口取{int(pop['year'])}年数据" + (f"（与数据年份相差{gap}年）" if gap else "")
        row["compare_group"] = compare_group(row["level"], row["issuer_kind"], row["indicator_name"], row["unit"])
        rows.append(row)
    result = pd.DataFrame(rows, columns=list(CROSS_COLUMNS))
    if result.empty:
        return result.astype({"rank": "Int64", "n_regions": "Int64", "comparable": bool})
    result["value"] = result["value"].astype("float64")
    result["per_10k"] = result["per_10k"].astype("float64")
    result["population"] = result["population"].astype("float64")
    result["corrected"] = result["corrected"].astype(bool)
    result["original_value"] = result["original_value"].astype("float64")
    result["population_year"] = result["population_year"].astype("Int64")
    result["rank"] = pd.array([pd.NA] * len(result), dtype="Int64")
    result["n_regions"] = pd.array([pd.NA] * len(result), dtype="Int64")
    result["comparable"] = False
    result["rank_basis"] = ""
    result["compare_note"] = ""
    for _, group in result.groupby("indicator", sort=False):
        sizes = group.groupby("compare_group")["region_code"].nunique()
        # the largest group; on a tie the one of whole-jurisdiction reports, then the lower level
        best = sorted(sizes.index, key=lambda g: (-sizes[g], "人民政府" not in g, g))[0]
        members = group[group["compare_group"] == best]
        main = members.iloc[0]
        if sizes[best] >= 2:
            by_capita = bool(members["per_10k"].notna().all())
            ranks = members["per_10k" if by_capita else "value"].rank(method="min", ascending=False).astype("int64")
            result.loc[members.index, "rank"] = ranks.to_numpy()
            result.loc[members.index, "n_regions"] = int(sizes[best])
            result.loc[members.index, "comparable"] = True
            if by_capita:
                basis = "每万人"
            elif main["indicator_kind"] == "rate":
                basis = "数值（比率指标）"
            elif per_capita and members["per_10k"].notna().any():
                basis = "数值（部分地区无人口数据）"
            elif per_capita:
                basis = "数值（无人口数据）"
            else:
                basis = "数值"
            result.loc[members.index, "rank_basis"] = basis
        for index, row in group.iterrows():
            if result.at[index, "comparable"]:
                continue
            if sizes[best] >= 2:
                why = _why_not_comparable(row, main, "、".join(dict.fromkeys(members["region"])))
                result.at[index, "compare_note"] = "未排名：" + (why or "口径不同") + "；仅并列展示。"
                continue
            other = group[group.index != index]
            why = _why_not_comparable(row, other.iloc[0], "、".join(dict.fromkeys(other["region"]))) if len(other) else ""
            result.at[index, "compare_note"] = "未排名：" + (why or "没有同一层级、同类发布机关、同一口径的其他地区") + "。"
    result["_o"] = result["indicator"].map(order).fillna(999)
    result["_r"] = result["rank"].fillna(9999).astype("int64")
    result = result.sort_values(["_o", "indicator", "_r", "region_code"]).drop(columns=["_o", "_r"]).reset_index(drop=True)
    return result


# ---------------------------------------------------------------------------- report profile

#: The five required parts (reporting-rules.md), in order: id, Chinese name, the wording that marks a
#: heading as that part, and the (stricter) wording that counts as evidence in running text.
PARTS: tuple[tuple[str, str, str, str], ...] = (
    ("measures", "主要举措和成效",
     r"主要举措|举措和成效|工作成效|主要成效|主要工作|工作情况|取得的?成效|主要做法", r"主要举措|主要做法和成效"),
    ("shortcomings", "存在的不足和原因",
     r"存在的?(?:主要)?(?:问题|不足)|不足之处|短板|差距|薄弱环节", r"存在的?(?:主要)?(?:问题|不足)|不足之处|问题和不足|短板弱项"),
    ("leaders", "党政主要负责人履行推进法治建设第一责任人职责",
     r"第一责任人|主要负责人履行", r"第一责任人"),
    ("plans", "下一年度工作安排",
     r"工作安排|工作思路|工作打算|下一步|下一年度|工作计划|(?:19|20)\d\d年(?:度)?(?:主要)?(?:工作)?(?:安排|思路|打算|计划|重点)",
     r"下一步|下一年度|(?:19|20)\d\d年(?:度)?(?:工作)?(?:安排|打算|计划)|工作安排|工作打算"
     # a plan written as a sentence: 「2024 年，我局将以……」「2025年，我区将……」
     r"|(?:19|20)\d\d\s*年\s*[，,]?\s*(?:我|本)[局区市县省州旗委办厅院]?\s*将"),
    ("other", "其他需要报告的情况", r"其他需要报告|其他事项", r"其他需要报告"),
)
#: Code values of the frames as staff read them, per column (a region's ``level`` only when text).
CODES_ZH: dict[str, dict[str, str]] = {
    "level": dict(LEVEL_ZH),
    "kind": {"level": "总量", "change": "增减", "share": "占比", "target": "目标",  # a number's kind …
             "count": "计数", "amount": "金额", "rate": "比率"},  # … or an indicator's
    "scope": {"whole": "全域", "sub": "下级单位", "subgroup": "部分群体", "other": "其他地区", "partial": "部分时段",
              "year": "其他年份", "": ""},
    "part": {**{part: name for part, name, _, _ in PARTS}, "": ""},
    "status": {"pass": "通过", "fail": "未通过", "warn": "需复核"},
    "issuer_kind": {**_KIND_ZH, "": ""},
    "severity": {"error": "错误", "warning": "警告"},
    "stage": {"read": "读取", "metadata": "基本信息", "parse": "解析", "duplicate": "重复"},
    "check": {"rate_vs_counts": "比率与件数是否相符", "share_vs_counts": "占比与件数是否相符",
              "share_implies_total": "占比推算的总数", "parts_vs_total": "分项之和与总数",
              "part_not_above_total": "部分不超过总数", "magnitude": "数量级是否合理",
              "duplicate_values": "同一指标多个数值"},
}


def readable_codes(frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` with the code values of :data:`CODES_ZH` columns in Chinese (others unchanged).

    >>> readable_codes(pd.DataFrame({"level": ["city", "county"], "status": ["fail", "odd"]})).values.tolist()
    [['市级', '未通过'], ['县级', 'odd']]
    >>> readable_codes(pd.DataFrame({"level": [1, 2]}))["level"].tolist()  # a heading level stays a number
    [1, 2]
    """
    out = frame
    if "indicators" in frame.columns and len(frame) and frame["indicators"].map(lambda v: isinstance(v, str)).all():
        out = frame.copy()
        out["indicators"] = frame["indicators"].map(_indicator_words)
    for column, names in CODES_ZH.items():
        if column in frame.columns and len(frame) and frame[column].map(lambda v: isinstance(v, str)).all():
            if out is frame:
                out = frame.copy()
            out[column] = frame[column].map(lambda v, names=names: names.get(v, v))
    return out


def _indicator_words(text: str) -> str:
    """Indicator ids inside a check's text as their Chinese names.

    >>> _indicator_words("mediation_success_rate = mediation_success / mediation_disputes")
    '调解成功率 = 调解成功 / 人民调解排查化解矛盾纠纷'
    """
    names = {i.id: i.name_zh for i in load_taxonomy().indicators}
    return re.sub(r"[a-z][a-z0-9_]+", lambda m: names.get(m.group(0), m.group(0)), text)


_STATUS_ZH = {"present": "有（专门标题）", "in_text": "有（正文或下级标题中提及）", "missing": "未见"}
_SENTENCE_END = re.compile(r"[。！？!?；;\n]")


def _sentence_around(text: str, start: int, end: int) -> str:
    left = max((m.end() for m in _SENTENCE_END.finditer(text, 0, start)), default=0)
    right = _SENTENCE_END.search(text, end)
    sentence = text[left : right.end() if right else len(text)].strip()
    return sentence if len(sentence) <= 160 else sentence[:160] + "…"


def required_parts(report_id: str, corpus: Corpus, text: str | None = None) -> pd.DataFrame:
    """For each of the five required parts: present under a heading of its own, mentioned in the
    text or a lower heading (with the sentence), or missing.

    A top-level heading marked with the part by the parser counts first; then any heading whose
    wording names the part; then, when ``text`` (the decoded report) is given, a sentence that
    names it (e.g. 「…认真履行推进法治建设第一责任人职责…」). A report whose main results stand
    under topical headings without a 主要举措 title gets ``in_text`` for that part.
    """
    sections = corpus.sections[corpus.sections["report_id"] == report_id]
    rows = []
    for part, name, wording, text_wording in PARTS:
        pattern = re.compile(wording)
        status, heading, evidence = "missing", "", ""
        tagged = sections[sections["part"] == part]
        named = sections[sections["heading"].map(lambda h, p=pattern: bool(p.search(str(h))))]
        if not tagged.empty:
            first = tagged.iloc[0]
            status, heading = "present", f"{first['marker']}{first['heading']}"
            evidence = f"标题「{heading}」"
        elif not named.empty:
            first = named.iloc[0]
            status, heading = "in_text", f"{first['marker']}{first['heading']}"
            evidence = f"下级标题「{heading}」"
        elif part == "measures" and not sections[(sections["level"] == 1) & (sections["part"] == "")].empty:
            tops = sections[(sections["level"] == 1) & (sections["part"] == "")]
            status = "in_text"
            heading = f"{tops.iloc[0]['marker']}{tops.iloc[0]['heading']}"
            evidence = f"正文按工作分列（{len(tops)}个一级标题，如「{heading}」），未用“主要举措和成效”标题"
        elif text:
            match = re.search(text_wording, text)
            if match:
                status = "in_text"
                evidence = _sentence_around(text, match.start(), match.end())
        rows.append({"part": part, "part_name": name, "status": status, "status_zh": _STATUS_ZH[status],
                     "heading": heading, "evidence": evidence})
    return pd.DataFrame(rows, columns=["part", "part_name", "status", "status_zh", "heading", "evidence"])


def timeliness(report: Mapping[str, Any], deadline: str = "04-01") -> dict[str, Any]:
    """Whether a report was public before ``deadline`` (``MM-DD``) of the year after its report year.

    Only the publication date decides. A report that gives only the date it was signed
    (成文日期) was not necessarily public by then: ``unknown`` (无法判断), with the reason and
    the signing date shown — unless it was signed after the deadline, which makes it late
    whenever it was published. ``status`` is ``on_time``, ``late`` (with ``days_late``, counted
    from the deadline day itself: published on 1 April → 1 day late) or ``unknown``.

    >>> timeliness({"report_year": 2023, "published_date": "2024-02-28", "issued_date": "2024-02-26"})["text"]
    '按时：2024-02-28发布，早于截止日期2024-04-01。'
    >>> timeliness({"report_year": 2023, "published_date": "", "issued_date": "2024-01-31"})["text"]
    '无法判断：未见发布日期，仅有成文日期2024-01-31；是否按时以公开发布日期为准（截止日期2024-04-01）。'
    >>> timeliness({"report_year": 2023, "published_date": "", "issued_date": "2024-04-10"})["text"]
    '逾期：2024-04-10才成文（未见发布日期），已晚于截止日期2024-04-01，至少逾期10天。'
    >>> timeliness({"report_year": 2023, "published_date": "", "issued_date": ""})["status"]
    'unknown'
    """
    try:
        month, day = (int(x) for x in str(deadline).split("-"))
    except ValueError as exc:
        raise ReportlibError(f"deadline {deadline!r} is not MM-DD (e.g. 04-01)") from exc
    year = report.get("report_year")
    published, issued = str(report.get("published_date") or ""), str(report.get("issued_date") or "")
    out: dict[str, Any] = {"status": "unknown", "days_late": None, "date": "", "basis": "", "deadline": ""}
    if year is None or pd.isna(year):
        out["text"] = "无法判断：报告年度不明。"
        return out
    due = dt.date(int(year) + 1, month, day)
    out["deadline"] = due.isoformat()
    if not published and not issued:
        out["text"] = f"无法判断：未见发布日期或成文日期（截止日期{due.isoformat()}）。"
        return out
    if not published:
        when = dt.date.fromisoformat(issued)
        out.update(date=issued, basis="issued")
        if when >= due:
            late = (when - due).days + 1
            out.update(status="late", days_late=late,
                       text=f"逾期：{issued}才成文（未见发布日期），已晚于截止日期{due.isoformat()}，至少逾期{late}天。")
        else:
            out["text"] = (f"无法判断：未见发布日期，仅有成文日期{issued}；"
                           f"是否按时以公开发布日期为准（截止日期{due.isoformat()}）。")
        return out
    when = dt.date.fromisoformat(published)
    out.update(date=published, basis="published")
    if when < due:
        out.update(status="on_time", days_late=0, text=f"按时：{published}发布，早于截止日期{due.isoformat()}。")
    else:
        late = (when - due).days + 1
        out.update(status="late", days_late=late, text=f"逾期{late}天：{published}发布，截止日期为{due.isoformat()}。")
    return out


_SPLIT = re.compile(r"[、，,；;\s]+")
_PARTY = re.compile(r"(?:党委|[省市区县州旗盟]委)$|^中共.*委$")
_GOVERNMENT = re.compile(r"(?:人民)?政府$")
_CONGRESS = re.compile(r"人大常委会$|人民代表大会常务委员会$")


def _names(text: str) -> list[str]:
    return [n for n in _SPLIT.split(str(text or "").strip("：: ")) if n]


def _upper_department(issuer: str, level: str) -> re.Pattern[str] | None:
    """Wording of the department one level up: 泉州市鲤城区司法局 → 市司法局 (or 泉州市司法局)."""
    match = re.search(r"(?:省|市|区|县|州|旗|盟)([^省市区县州旗盟]{1,12}?(?:局|厅|委员会|委|办))$", issuer)
    if not match:
        return None
    office = match.group(1)
    stem = office[:-1] if office.endswith(("局", "厅")) else office
    upper = {"county": "[市州盟]", "city": "省", "province": "(?:国家|国务院)?"}.get(level, "[市州盟省]")
    return re.compile(f"{upper}{re.escape(stem)}[局厅]$" if office.endswith(("局", "厅")) else f"{upper}{re.escape(office)}$")


#: Why addressees cannot be judged when a report shows neither 主送 nor 抄送.
NO_ADDRESSEE_BLOCK = "原文未见主送、抄送栏（多为网页转载稿），无法判断"


def addressee_check(report: Mapping[str, Any]) -> pd.DataFrame:
    """The addressees the rules expect for the issuer's kind, and whether the report names them
    (main addressees or 抄送): a government → 同级党委、人大常委会; a department → 本级党委、本级政府
    and the department one level up. Joint Party–government reports are listed, not judged.

    ``status`` is 有, 未见 or 无法判断: a text with no addressee block at all (a web reprint
    usually drops it) cannot show that an addressee is missing, so nothing is judged missing.
    """
    kind = str(report.get("issuer_kind") or "")
    main, cc = _names(report.get("addressees", "")), _names(report.get("cc", ""))
    expected: list[tuple[str, re.Pattern[str] | None]]
    if kind == "government":
        expected = [("同级党委", _PARTY), ("同级人大常委会", _CONGRESS)]
    elif kind == "department":
        expected = [("本级党委", _PARTY), ("本级政府", _GOVERNMENT),
                    ("上一级主管部门", _upper_department(str(report.get("issuer", "")), str(report.get("level", ""))))]
    else:
        expected = []
    block = bool(main or cc)
    rows = []
    for label, pattern in expected:
        where, evidence = "", ""
        if pattern is not None:
            for place, names in (("主送", main), ("抄送", cc)):
                hit = next((n for n in names if pattern.search(n)), None)
                if hit:
                    where, evidence = place, hit
                    break
        status = "有" if where else "未见" if block else "无法判断"
        rows.append({"expected": label, "found": bool(where), "status": status, "where": where,
                     "evidence": evidence if block else NO_ADDRESSEE_BLOCK})
    return pd.DataFrame(rows, columns=["expected", "found", "status", "where", "evidence"])


def report_label(report: Mapping[str, Any]) -> str:
    """A short name for a report: ``鲤城区 2023 泉州市鲤城区司法局``."""
    year = report.get("report_year")
    year_text = "" if year is None or pd.isna(year) else str(int(year))
    return " ".join(x for x in (str(report.get("region") or ""), year_text, str(report.get("issuer") or "")) if x)


def report_profile(report_id: str, corpus: Corpus, deadline: str = "04-01", text: str | None = None) -> dict[str, Any]:
    """Everything a profile page shows about one report.

    Keys: ``report`` (the row as a dict), ``label``, ``metadata`` (field/value frame in Chinese),
    ``timeliness`` (see :func:`timeliness`), ``parts`` (:func:`required_parts`), ``addressees``
    (:func:`addressee_check`), ``outline`` (the heading tree), ``metrics`` (every metric with its
    sentence), ``checks`` (consistency checks that failed or warn), ``summary`` (Chinese sentences).
    ``text`` is the decoded report; by default it is read from the source file when it exists.
    """
    rows = corpus.reports[corpus.reports["report_id"] == report_id]
    if rows.empty:
        known = ", ".join(corpus.reports["report_id"].tolist())
        raise ReportlibError(f"no report with id {report_id!r} in the corpus; known ids: {known}")
    report = rows.iloc[0].to_dict()
    if text is None:
        text = report_text(report)
    meta_fields = ["title", "issuer", "issuer_kind", "region", "region_code", "level", "report_year", "doc_number",
                   "issued_date", "published_date", "addressees", "cc", "source", "n_chars", "report_id"]
    values = []
    for f in meta_fields:
        v = report.get(f, "")
        if f == "issuer_kind":
            v = _KIND_ZH.get(str(v), str(v))
        elif f == "level":
            v = LEVEL_ZH.get(str(v), str(v))
        elif f == "source":
            v = shown_source(str(v or ""))
        values.append("" if v is None or (not isinstance(v, str) and pd.isna(v)) else str(v))
    metadata = pd.DataFrame({"field": [LABELS.get(f, f) for f in meta_fields], "value": values})
    when = timeliness(report, deadline)
    parts = required_parts(report_id, corpus, text)
    addressees = addressee_check(report)
    outline = corpus.sections.loc[corpus.sections["report_id"] == report_id,
                                  ["section_id", "parent_id", "level", "marker", "heading", "part"]].reset_index(drop=True)
    metrics = ensure_corrected_columns(corpus.metrics)
    metrics = metrics.loc[metrics["report_id"] == report_id,
                          ["indicator", "indicator_name", "value", "unit", "raw", "approx", "qualifier", "sentence",
                           "section", "start", "end", "confidence", "reason", "corrected", "original_value",
                           "correction_note"]].reset_index(drop=True)
    region_name = str(report.get("region") or "")
    metrics["reason"] = [explain(t, region_name) for t in metrics["reason"]]
    checks = corpus.checks[(corpus.checks["report_id"] == report_id) & (corpus.checks["status"] != "pass")].reset_index(drop=True)
    missing = parts.loc[parts["status"] == "missing", "part_name"].tolist()
    lacking = addressees.loc[addressees["status"] == "未见", "expected"].tolist()
    summary = [when["text"]]
    summary.append("五项必备内容均可找到。" if not missing else f"未见：{'、'.join(missing)}。")
    if len(addressees) and (addressees["status"] == "无法判断").all():
        summary.append(f"主送/抄送：{NO_ADDRESSEE_BLOCK}。")
    elif len(addressees):
        summary.append("主送/抄送对象符合要求。" if not lacking else f"主送或抄送中未见：{'、'.join(lacking)}。")
    summary.append(f"共提取{len(metrics)}项指标，{len(checks)}项一致性检查未通过或需复核。")
    n_fixed = int(metrics["corrected"].astype(bool).sum())
    if n_fixed:
        summary.append(f"其中{n_fixed}项指标经人工更正（见“更正说明”）。")
    if report.get("correction_note"):
        summary.append(f"基本信息经人工更正：{report['correction_note']}。")
    return {
        "report": report, "label": report_label(report), "metadata": metadata, "timeliness": when,
        "parts": parts, "addressees": addressees, "outline": outline, "metrics": metrics, "checks": checks,
        "summary": summary, "text_available": text is not None,
        "corrections": corrections_of(corpus, [report_id]),
    }


# ---------------------------------------------------------------------------- parse quality


def quality(corpus: Corpus) -> dict[str, pd.DataFrame]:
    """What the parse found and what to look at: ``reports`` (one row per report with counts),
    ``coverage`` (indicator × report matrix of the raw values, empty when not found), ``problems``,
    ``checks`` (failed and warn), ``unpromoted`` (mentions assigned to an indicator but not taken
    as the report's figure, with the note saying why)."""
    reports = corpus.reports.copy()
    reports["label"] = [report_label(r) for r in reports.to_dict("records")]
    reports["source"] = reports["source"].map(shown_source)
    overview = reports[["report_id", "label", "source", "issuer", "region", "report_year", "n_sections", "n_mentions",
                        "n_metrics"]].reset_index(drop=True)
    order = _taxonomy_order()
    names = {i.id: i.name_zh for i in load_taxonomy().indicators}
    labels = dict(zip(reports["report_id"], reports["label"], strict=True))
    columns = [labels[r] for r in reports["report_id"]]
    coverage = pd.DataFrame("", index=[names[i] for i in sorted(order, key=order.get)], columns=columns, dtype=object)
    for m in ensure_corrected_columns(corpus.metrics).itertuples(index=False):
        if m.report_id in labels and m.indicator in names:
            shown = m.raw + ("（约）" if m.approx and "约" not in m.raw else "")
            if m.corrected:
                shown = (format_value(m.value, m.unit) + "（已更正）") if m.correction == "set" else shown + "（人工选定）"
            coverage.loc[names[m.indicator], labels[m.report_id]] = shown
    coverage.insert(0, "reports_with_value", (coverage != "").sum(axis=1))
    coverage.index.name = "indicator_name"
    coverage = coverage.reset_index()
    checks = corpus.checks[corpus.checks["status"] != "pass"].reset_index(drop=True)
    mentions = corpus.mentions
    unpromoted = mentions[(mentions["indicator"] != "") & ~mentions["promoted"].astype(bool)]
    unpromoted = unpromoted.assign(indicator_name=unpromoted["indicator"].map(names).fillna(""))
    unpromoted = unpromoted[["report_id", "region", "report_year", "indicator", "indicator_name", "raw", "kind", "scope",
                             "confidence", "note", "sentence"]].reset_index(drop=True)
    unpromoted["note"] = [explain(n, r) for n, r in zip(unpromoted["note"], unpromoted["region"], strict=True)]
    problems = corpus.problems.reset_index(drop=True)
    if "reason" in problems.columns:
        problems = problems.assign(reason=problems["reason"].map(explain), source=problems["source"].map(shown_source))
    return {"reports": overview, "coverage": coverage, "problems": problems,
            "checks": checks, "unpromoted": unpromoted, "corrections": corrections_of(corpus)}


CORRECTION_VIEW = ("label", "field_name", "status", "original", "corrected", "note", "who", "when", "problem", "source")


def corrections_of(corpus: Corpus, report_ids: Iterable[str] | None = None) -> pd.DataFrame:
    """The corpus's corrections (of ``report_ids``; all when None) as staff read them: report,
    field, status in Chinese, the value before and after, note, who and when, and any problem."""
    log = corpus.corrections
    if report_ids is not None:
        log = log[log["report_id"].isin(list(report_ids))]
    labels = {r["report_id"]: report_label(r) for r in corpus.reports.to_dict("records")}
    view = log.assign(label=log["report_id"].map(labels).fillna(""),
                      status=log["status"].map(STATUS_ZH).fillna(log["status"]))
    return view[list(CORRECTION_VIEW)].reset_index(drop=True)

