"""Consistency checks inside one report: rates against counts, parts against totals, magnitudes."""

from __future__ import annotations

from decimal import Decimal

CHECK_COLUMNS = ("report_id", "source", "check", "indicators", "expected", "observed", "status", "evidence")

#: rate indicator → (numerator, denominator): the rate should equal numerator / denominator × 100.
RATE_RULES: dict[str, tuple[str, str]] = {
    "mediation_success_rate": ("mediation_success", "mediation_disputes"),
    "admin_reconsideration_mediation_rate": ("admin_reconsideration_mediated", "admin_reconsideration_closed"),
    "admin_reconsideration_correction_rate": ("admin_reconsideration_corrected", "admin_reconsideration_closed"),
}
#: total → parts that cannot exceed it (and usually add up to it).
PART_RULES: dict[str, tuple[str, ...]] = {
    "legal_aid_cases": ("legal_aid_criminal_cases", "legal_aid_civil_cases"),
}
#: smaller ≤ larger.
ORDER_RULES: tuple[tuple[str, str], ...] = (
    ("mediation_success", "mediation_disputes"),
    ("admin_reconsideration_accepted", "admin_reconsideration_applications"),
    ("admin_reconsideration_corrected", "admin_reconsideration_closed"),
    ("admin_reconsideration_mediated", "admin_reconsideration_closed"),
)
#: Largest believable count for one jurisdiction in a year (a province-wide figure may be larger).
MAX_COUNT = {"county": 1_000_000, "city": 5_000_000, "province": 50_000_000, "": 50_000_000}


def tolerance(observed_raw: str) -> float:
    """Half a unit of the last decimal the text gives, plus float slack.

    >>> tolerance("99.9%"), tolerance("20.12%"), tolerance("100%")
    (0.051, 0.006, 0.501)
    """
    digits = "".join(ch for ch in observed_raw if ch.isdigit() or ch == ".")
    decimals = len(digits.split(".")[1]) if "." in digits else 0
    return float(Decimal(5) / Decimal(10) ** (decimals + 1)) + 0.001


def run_checks(parsed) -> list[tuple]:  # parsed: reportlib.parse.ParsedReport
    """All checks for one parsed report, as rows of :data:`CHECK_COLUMNS`."""
    from reportlib.parse import _M, METRIC_COLUMNS

    col = {name: i for i, name in enumerate(METRIC_COLUMNS)}
    metrics = {row[col["indicator"]]: row for row in parsed.metrics}
    if not parsed.mentions:
        return []
    rid, source = parsed.mentions[0][_M["report_id"]], parsed.mentions[0][_M["source"]]
    out: list[tuple] = []

    def value(ind: str) -> float:
        return metrics[ind][col["value"]]

    def evidence(*inds: str) -> str:
        return " | ".join(f"{metrics[i][col['raw']]}: {metrics[i][col['sentence']]}" for i in inds if i in metrics)

    for rate, (num, den) in RATE_RULES.items():
        if rate in metrics and num in metrics and den in metrics and value(den) > 0:
            expected = value(num) / value(den) * 100
            observed = value(rate)
            ok = abs(expected - observed) <= tolerance(metrics[rate][col["raw"]])
            out.append((rid, source, "rate_vs_counts", f"{rate} = {num} / {den}", round(expected, 2), observed,
                        "pass" if ok else "fail", evidence(rate, num, den)))
    for total, parts in PART_RULES.items():
        present = [p for p in parts if p in metrics]
        if total in metrics and present:
            parts_sum = sum(value(p) for p in present)
            if parts_sum > value(total):
                status = "fail"
            elif len(present) == len(parts) and parts_sum == value(total):
                status = "pass"
            else:
                status = "warn"
            out.append((rid, source, "parts_vs_total", f"{total} = {' + '.join(present)}", value(total), parts_sum,
                        status, evidence(total, *present)))
    for small, large in ORDER_RULES:
        if small in metrics and large in metrics:
            ok = value(small) <= value(large)
            out.append((rid, source, "part_not_above_total", f"{small} ≤ {large}", value(large), value(small),
                        "pass" if ok else "fail", evidence(small, large)))
    level = parsed.report.get("level", "") if parsed.report else ""
    for ind, row in metrics.items():
        unit = row[col["unit"]]
        v = row[col["value"]]
        if unit == "%" and not 0 <= v <= 100:
            out.append((rid, source, "magnitude", ind, "0–100 %", v, "fail", evidence(ind)))
        elif unit not in ("%", "元") and v > MAX_COUNT.get(level, MAX_COUNT[""]):
            out.append((rid, source, "magnitude", ind, f"≤ {MAX_COUNT.get(level, MAX_COUNT[''])}", v, "fail", evidence(ind)))
    for ind, row in metrics.items():
        others = row[col["reason"]]
        if "other values for this indicator" in others:
            out.append((rid, source, "contradictory_values", ind, row[col["raw"]], others.split("other values for this indicator: ")[1].split(";")[0],
                        "warn", evidence(ind)))
    return out
