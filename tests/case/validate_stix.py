#!/usr/bin/env python3
"""Validate a STIX 2.1 bundle against the OASIS JSON schemas (offline).

usage: validate_stix.py SCHEMAS_DIR BUNDLE.json
Exit 0 when the bundle and every object in it validate, 1 with one line per error otherwise.
"""
import json
import pathlib
import sys
import warnings

warnings.filterwarnings("ignore", category=DeprecationWarning)
import jsonschema  # noqa: E402  (python3-jsonschema)


def main():
    schemas = pathlib.Path(sys.argv[1]).resolve()
    bundle = json.loads(pathlib.Path(sys.argv[2]).read_text(encoding="utf-8"))
    store = {}
    for path in schemas.rglob("*.json"):
        doc = json.loads(path.read_text(encoding="utf-8"))
        store[path.as_uri()] = doc
        if "$id" in doc:
            store[doc["$id"]] = doc

    try:
        # jsonschema >= 4.18 resolves references through the `referencing` registry.
        from referencing import Registry, Resource
        from referencing.jsonschema import DRAFT202012

        registry = Registry().with_resources(
            (uri, Resource.from_contents(doc, default_specification=DRAFT202012)) for uri, doc in store.items())

        def validator(schema, schema_path):
            return jsonschema.validators.validator_for(schema)(schema, registry=registry)
    except ImportError:
        # Debian 12's python3-jsonschema (4.10): the RefResolver the README describes.
        def validator(schema, schema_path):
            resolver = jsonschema.RefResolver(base_uri=schema_path.as_uri(), referrer=schema, store=store)
            return jsonschema.validators.validator_for(schema)(schema, resolver=resolver)

    def validate(obj, schema_path):
        schema = store[schema_path.as_uri()]
        return [f"{obj.get('id', '?')}: {e.message}" for e in validator(schema, schema_path).iter_errors(obj)]

    errors = validate(bundle, schemas / "common" / "bundle.json")
    objects = bundle.get("objects", [])
    if not objects:
        errors.append("bundle has no objects")
    for obj in objects:
        kind = obj.get("type", "")
        for folder in ("sdos", "sros", "observables", "common"):
            candidate = schemas / folder / f"{kind}.json"
            if candidate.exists():
                errors += validate(obj, candidate)
                break
        else:
            errors.append(f"{obj.get('id', '?')}: no schema for type {kind!r}")
    for e in errors:
        print(e)
    print(f"{len(objects)} objects, {len(errors)} errors")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
