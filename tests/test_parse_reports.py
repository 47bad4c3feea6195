"""Reports frame: metadata from seeds and from texts of our own making."""

from __future__ import annotations

import pytest

import reportlib
from reportlib.parsing.parse import parse_text
from tests.conftest import report_text

SEED_METADATA = {
    # file: (issuer, kind, region, code, level, year, doc number, issued, published, addressees)
    "000_c65c1456b27ca68d.txt": ("泉州市鲤城区司法局", "department", "鲤城区", "350502", "county", 2023,
                                 "泉鲤司〔2024〕6号", "2024-01-31", "", "区委、区政府"),
    "001_759bc3a8bcb1605c.txt": ("泉州市鲤城区人民政府", "government", "鲤城区", "350502", "county", 2024,
                                 "泉鲤政文〔2025〕9号", "2025-01-21", "2025-02-17", "泉州市鲤城区人大常委会"),
    "002_531e4b9acb86f1c6.txt": ("南安市司法局", "department", "南安市", "350583", "county", 2023,
                                 "南司〔2024〕5号", "2024-02-26", "2024-02-28", ""),
    "003_233507c4a0dcbcd0.txt": ("厦门市湖里区司法局", "department", "湖里区", "350206", "county", 2023,
                                 "厦湖司〔2024〕9号", "2024-02-29", "", "中共湖里区委、湖里区政府"),
    "004_3d6be01b1ca05d82.txt": ("厦门市司法局", "department", "厦门市", "350200", "city", 2024,
                                 "", "", "2025-03-18", ""),
}
FIELDS = ("issuer", "issuer_kind", "region", "region_code", "level", "report_year", "doc_number",
          "issued_date", "published_date", "addressees")


@pytest.mark.parametrize("name", sorted(SEED_METADATA))
def test_seed_metadata(seed_corpus, name):
    row = seed_corpus.reports[seed_corpus.reports["source"].str.endswith(name)].iloc[0]
    assert tuple(row[f] for f in FIELDS) == SEED_METADATA[name]


def test_seed_hierarchy(seed_corpus):
    rows = seed_corpus.reports.set_index("region")
    assert rows.loc["南安市", "city"] == "泉州市"  # a county-level city under 泉州
    assert rows.loc["厦门市", "province"] == "福建省"
    assert (seed_corpus.reports["n_chars"] > 1000).all()
    assert seed_corpus.problems.empty


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        pytest.param("成都市武侯区人民政府关于2024年法治政府建设情况的报告\n武侯区人大常委会：", ("成都市武侯区人民政府", "government", "510107", 2024, "武侯区人大常委会"), id="sichuan-gov"),
        pytest.param("北京市海淀区司法局2022年度法治政府建设工作报告", ("北京市海淀区司法局", "department", "110108", 2022, ""), id="beijing-dept"),
        pytest.param("中共重庆市渝中区委 重庆市渝中区人民政府关于2023年度法治政府建设情况的报告", ("中共重庆市渝中区委重庆市渝中区人民政府", "party_government", "500103", 2023, ""), id="joint"),
        pytest.param("浙江省司法厅二〇二三年度法治政府建设情况报告", ("浙江省司法厅", "department", "330000", 2023, ""), id="province-cn-year"),
    ],
)
def test_metadata_other_places(header, expected):
    text = header + "\n一、主要举措和成效\n全年共办理法律援助案件1,234件。\n某某单位\n二〇二四年一月三十一日\n"
    rep = parse_text(text).report
    assert (rep["issuer"], rep["issuer_kind"], rep["region_code"], rep["report_year"], rep["addressees"]) == expected
    assert rep["issued_date"] == "2024-01-31"


def test_doc_number_variants():
    for raw in ("西司〔2024〕3号", "西司[2024]3号", "西司【2024】3号", "西司（2024）3号"):
        rep = parse_text(raw + "\n" + report_text("全年办理公证100件。")).report
        assert rep["doc_number"] == raw


def test_year_is_covered_year_not_issue_year():
    rep = parse_text("西湖区司法局关于2023年度法治政府建设情况的报告\n正文。\n2024年3月1日\n").report
    assert rep["report_year"] == 2023 and rep["issued_date"] == "2024-03-01"


def test_offsets_round_trip_on_seeds(seed_corpus, seeds_dir):
    texts = {p.as_posix(): p.read_text(encoding="utf-8") for p in seeds_dir.glob("*.txt")}
    by_source = {src: texts[next(k for k in texts if k.endswith(src.split("/")[-1]))] for src in seed_corpus.mentions["source"].unique()}
    for row in seed_corpus.mentions.itertuples():
        assert by_source[row.source][row.start : row.end] == row.raw


def test_user_example(seed_corpus):
    m = seed_corpus.metrics.query("region == '鲤城区' and indicator == 'legal_aid_cases'").sort_values("report_year")
    assert m["report_year"].tolist() == [2023, 2024]
    assert m["value"].tolist() == [367.0, 283.0]
    assert "367件" in m["sentence"].iloc[0] and "283件" in m["sentence"].iloc[1]


def test_read_reports_api_accepts_files_and_dirs(seeds_dir):
    files = sorted(seeds_dir.glob("*.txt"))[:2]
    corpus = reportlib.read_reports([str(f) for f in files])
    assert len(corpus.reports) == 2
    assert list(corpus.reports["source"]) == [str(f) for f in files]


def test_part_of_a_position_walks_up_from_its_deepest_heading(seeds_dir):
    """The fast lookup of the required part (measures, shortcomings, plans …) agrees with the
    plain scan over every heading, at every character of every seed."""
    from reportlib.parsing.parse import _deepest, _part_of
    from reportlib.parsing.sections import find_headings, part_at
    from reportlib.reading.formats import extract
    from reportlib.reading.normalize import build_view

    parts = set()
    for path in sorted(seeds_dir.iterdir()):
        text = build_view(extract(path.read_bytes(), str(path)).text).text
        headings = find_headings(text)
        starts = [h.vstart for h in headings]
        parts |= {h.part for h in headings}
        for pos in range(0, len(text), 7):
            assert _part_of(headings, _deepest(headings, starts, pos)) == part_at(headings, pos), (path.name, pos)
    assert parts >= {"measures", "shortcomings", "plans"}
