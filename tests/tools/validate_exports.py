#!/usr/bin/env python3
"""Validates Second Heart's exports with validators from PyPI.

Usage: validate_exports.py FHIR.json EXPORT.json DAYS.csv

- the FHIR bundle is parsed by fhir.resources' R4B models (pydantic: types,
  cardinalities, required elements, code and date formats), and each
  Observation must carry LOINC 41950-7 or 55423-8 with a UCUM quantity;
- the JSON export is checked against docs/export.schema.json (jsonschema);
- the CSV's timestamps must carry a UTC offset.
"""
import csv
import json
import pathlib
import re
import sys

from fhir.resources.R4B.bundle import Bundle
import jsonschema

fhir_path, json_path, csv_path = map(pathlib.Path, sys.argv[1:4])
root = pathlib.Path(__file__).resolve().parents[2]

bundle = Bundle.model_validate_json(fhir_path.read_text())
assert bundle.type == "collection", bundle.type
observations = [e.resource for e in bundle.entry or []]
assert observations, "the bundle holds no observations"
for obs in observations:
    assert obs.get_resource_type() == "Observation"
    # A required binding the models do not enforce.
    assert obs.status in {"registered", "preliminary", "final", "amended"}, obs.status
    codes = {(c.system, c.code) for c in obs.code.coding}
    assert codes & {("http://loinc.org", "41950-7"), ("http://loinc.org", "55423-8")}, codes
    assert obs.valueQuantity.system == "http://unitsofmeasure.org"
    assert obs.effectivePeriod.start.utcoffset() is not None
print(f"FHIR R4B bundle valid: {len(observations)} observations")

schema = json.loads((root / "docs" / "export.schema.json").read_text())
document = json.loads(json_path.read_text())
jsonschema.validate(document, schema)
print(f"JSON export valid against docs/export.schema.json: {len(document['days'])} days")

offset = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d\d:\d\d$")
with csv_path.open(newline="") as f:
    rows = list(csv.DictReader(f))
assert rows, "the CSV is empty"
for row in rows:
    assert offset.match(row["start"]) and offset.match(row["end"]), row
print(f"CSV valid: {len(rows)} days, every time with its UTC offset")
