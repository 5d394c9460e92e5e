# Reads one graded class's reports with the programs that consume them, and fails on the
# first thing they reject. Run it in a folder holding report.csv, bom.csv (--csv-bom),
# canvas.csv (--format canvas --roster … --csv-bom), report.junit and gs/<student>/results.json,
# e.g. all written by `lessons grade DIR --format F --output …`. Needs pandas, junitparser and
# jsonschema (pip install pandas junitparser jsonschema); not part of CI.
# The class-specific checks (ids '=2+3', '-rf', '민수', 7 Canvas rows, the hidden case's output)
# are those of the class described in docs/grading.md's screenshot; edit them for yours.
import json, glob
import pandas as pd
from junitparser import JUnitXml
import xml.etree.ElementTree as ET
import jsonschema
out = {}
# pandas: the plain CSV and Excel's BOM variant
df = pd.read_csv("report.csv", dtype=str, keep_default_na=False)
out["csv"] = (df.shape, list(df.columns), sorted(df.student.unique()))
bom = pd.read_csv("bom.csv", encoding="utf-8-sig", dtype=str, keep_default_na=False)
assert list(bom.columns) == list(df.columns), bom.columns
assert "'=2+3" in set(df.student) and "'-rf" in set(df.student) and "민수" in set(bom.student)
sc = df.astype({"score": int, "max_score": int})
out["scores"] = sc.groupby("student").score.sum().to_dict()
# Canvas import: header, Points Possible row, one row per student, numeric scores
cv = pd.read_csv("canvas.csv", encoding="utf-8-sig", dtype=str, keep_default_na=False)
assert list(cv.columns[:5]) == ["Student", "ID", "SIS User ID", "SIS Login ID", "Section"], cv.columns
assert cv.iloc[0]["Student"] == "Points Possible"
body = cv.iloc[1:]
assert len(body) == 7 and body["ID"].str.fullmatch(r"\d+").all()
for c in cv.columns[5:]: pd.to_numeric(cv[c].iloc[1:])
out["canvas"] = (list(cv.columns), body[["Student", "ID"] + list(cv.columns[5:])].values.tolist())
# JUnit: junitparser and ElementTree
xml = JUnitXml.fromfile("report.junit")
suites = list(xml)
out["junit"] = [(s.name, s.tests, s.failures, s.errors) for s in suites]
for s in suites:
    for case in s:
        props = {p.name: p.value for p in case.properties()} if hasattr(case, "properties") else {}
ET.parse("report.junit")
# Gradescope: the documented results.json fields
schema = {"type": "object", "required": ["tests"], "properties": {
    "score": {"type": "number"}, "execution_time": {"type": "number"}, "output": {"type": "string"},
    "output_format": {"enum": ["text", "html", "simple_format", "md", "ansi"]},
    "visibility": {"enum": ["hidden", "after_due_date", "after_published", "visible"]},
    "stdout_visibility": {"enum": ["hidden", "after_due_date", "after_published", "visible"]},
    "tests": {"type": "array", "items": {"type": "object", "properties": {
        "score": {"type": "number"}, "max_score": {"type": "number"}, "status": {"enum": ["passed", "failed"]},
        "name": {"type": "string"}, "number": {"type": "string"}, "output": {"type": "string"},
        "tags": {"type": "array"}, "visibility": {"enum": ["hidden", "after_due_date", "after_published", "visible"]}},
        "additionalProperties": False}}}, "additionalProperties": False}
gs = {}
for f in sorted(glob.glob("gs/*/results.json")):
    r = json.load(open(f)); jsonschema.validate(r, schema)
    assert abs(sum(t["score"] for t in r["tests"]) - r["score"]) < 1e-9, f
    gs[f.split("/")[1]] = [(t["name"], t["score"], t["max_score"], t["visibility"]) for t in r["tests"] if "hidden" in t["name"]]
    text = json.dumps(r, ensure_ascii=False)
    assert "malloc(100000)" not in text and "case more" not in text, f  # the hidden case's stdout and name
out["gradescope_hidden"] = gs
print(json.dumps(out, ensure_ascii=False, indent=1))
