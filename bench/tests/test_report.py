"""The bench's verdicts (bench/report.py) on made-up results."""

from bench.report import evaluate


def _result(db, products, pages):
    return {"db": db, "products": products, "catalogue_pages": pages}


def test_catalogue_miss_target_names_every_missed_probe_at_the_largest_size():
    fast = {"ms_p50": 30.0, "sql_ms_p50": 5.0, "status": 200}
    slow = {"ms_p50": 61.6, "sql_ms_p50": 35.0, "status": 200}
    results = [
        _result("sqlite", 17000, {"lapsed": slow}),  # not the largest size: not judged
        _result("sqlite", 200000, {"name": fast, "lapsed, page 100": slow}),
        _result("postgres", 200000, {"name": fast, "lapsed, page 100": fast}),
    ]
    checks = {c["db"]: c for c in evaluate(results, [], [17000, 200000], ["sqlite", "postgres"])}
    assert not checks["sqlite"]["pass"]
    assert checks["sqlite"]["value"] == "lapsed, page 100 61.6 ms (SQL 35.0 ms)"
    assert checks["postgres"]["pass"] and "slowest name 30.0 ms" in checks["postgres"]["value"]
    errored = [_result("sqlite", 200000, {"name": {**fast, "status": 500}})]
    assert not evaluate(errored, [], [200000], ["sqlite"])[0]["pass"]
