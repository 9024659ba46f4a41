"""core/sarif.py: the log has what the SARIF 2.1.0 schema requires and what GitHub code scanning needs, and the
check of that (``problems``) does catch logs that lack it. No package ships the SARIF schema, so the required
properties are checked one by one."""

from __future__ import annotations

import copy

import pytest
from gotcha_doctor.core import sarif


def _log() -> dict:
    rules = [sarif.Rule(id="GD101", name="item-kept-across-add", short="Item used after add()", help_text="Re-fetch.")]
    results = [
        sarif.Result(
            rule_id="GD101",
            level="error",
            message="`p` is used after add()",
            path="addon/ops.py",
            start_line=4,
            start_column=1,
            fingerprint_parts=("GD101", "addon/ops.py", "p.co = 1", "1"),
        )
    ]
    return sarif.build_log("Gotcha Doctor", "0.1.0", rules, results, root=".")


def test_built_log_has_everything() -> None:
    log = _log()
    assert sarif.problems(log) == []
    assert log["version"] == "2.1.0" and log["$schema"].endswith("sarif-2.1.0.json")
    result = log["runs"][0]["results"][0]
    assert result["ruleId"] == "GD101" and result["ruleIndex"] == 0
    assert result["locations"][0]["physicalLocation"]["region"] == {"startLine": 4, "startColumn": 1}


def test_fingerprints_are_stable_and_distinct() -> None:
    assert (
        _log()["runs"][0]["results"][0]["partialFingerprints"] == _log()["runs"][0]["results"][0]["partialFingerprints"]
    )
    assert sarif.fingerprint(["a", "bc"]) != sarif.fingerprint(["ab", "c"])


@pytest.mark.parametrize(
    ("breakage", "problem"),
    [
        (lambda log: log.update(version="2.0.0"), "version must be 2.1.0"),
        (lambda log: log["runs"][0]["tool"]["driver"].pop("name"), "tool.driver.name is required"),
        (lambda log: log["runs"][0]["tool"]["driver"]["rules"][0].pop("help"), "help.text is required"),
        (lambda log: log["runs"][0]["results"][0].update(ruleId="GD999"), "is not a rule of the driver"),
        (lambda log: log["runs"][0]["results"][0].update(level="fatal"), "level is not a SARIF level"),
        (lambda log: log["runs"][0]["results"][0].pop("partialFingerprints"), "partialFingerprints is missing"),
        (lambda log: log["runs"][0]["results"][0].pop("locations"), "needs at least one location"),
        (
            lambda log: log["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["region"].update(startLine=0),
            "startLine must be an integer >= 1",
        ),
    ],
)
def test_problems_catches_what_is_missing(breakage, problem: str) -> None:  # noqa: ANN001 - a lambda
    log = copy.deepcopy(_log())
    breakage(log)
    assert any(problem in line for line in sarif.problems(log)), sarif.problems(log)
