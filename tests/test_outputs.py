"""Results are written as standard JSON, atomically."""

import json

from sim.outputs import json_text, write_json


def test_json_is_strict_standard_json(tmp_path):
    data = {"a": float("nan"), "b": [1.0, float("inf"), {"c": -float("inf")}], "d": "δ"}
    text = json_text(data)
    assert json.loads(text) == {"a": None, "b": [1.0, None, {"c": None}], "d": "δ"}
    write_json(tmp_path / "x.json", data)
    assert json.loads((tmp_path / "x.json").read_text(encoding="utf-8"))["a"] is None
    assert [p.name for p in tmp_path.iterdir()] == ["x.json"]      # no temporary left behind
