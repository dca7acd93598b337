"""The OpenAPI 3.1 document, generated from the routes and their ``operation`` declarations,
and a plain HTML page rendering it (served locally: no CDN, no script).

OpenAPI 3.1 schemas are JSON Schema 2020-12, which is what pydantic v2 emits, so model schemas go
into ``components/schemas`` unchanged.
"""

from __future__ import annotations

import html
import re
from typing import Any, Final

from flask import Blueprint, Flask, Response, current_app
from pydantic import BaseModel
from pydantic.json_schema import models_json_schema
from werkzeug.routing import Rule

from api import models
from api.auth import CASE_HEADER
from api.problems import MEDIA_TYPE, PROBLEMS
from api.routing import Operation, Resp, operation, operation_of

REF: Final = "#/components/schemas/{model}"
ALWAYS: Final[tuple[type[BaseModel], ...]] = (
    models.Problem, models.SignedRecord, models.RecordResult, models.BulkResult,
)  # fmt: skip
_ARG = re.compile(r"<(?:([^<>:]+)(?:\([^)]*\))?:)?([^<>:]+)>")

bp = Blueprint("openapi", __name__)


def _models(ops: list[Operation]) -> list[type[BaseModel]]:
    found: list[type[BaseModel]] = list(ALWAYS)
    for op in ops:
        cands: list[Any] = [op.body, *(r.model for r in op.responses.values())]
        for m in cands:
            if isinstance(m, type) and issubclass(m, BaseModel) and m not in found:
                found.append(m)
    return found


def _strip_null(schema: dict[str, Any]) -> dict[str, Any]:
    """``anyOf: [X, null]`` -> X, for optional query parameters (absent, never null)."""
    any_of = schema.get("anyOf")
    if isinstance(any_of, list):
        rest = [s for s in any_of if s != {"type": "null"}]
        if len(rest) == 1:
            out = {k: v for k, v in schema.items() if k != "anyOf"}
            out.update(rest[0])
            return out
    return schema


def _params(model: type[BaseModel], where: str) -> list[dict[str, Any]]:
    schema = model.model_json_schema(ref_template=REF)
    required = set(schema.get("required", []))
    out = []
    for name, prop in schema.get("properties", {}).items():
        prop = _strip_null(dict(prop))
        prop.pop("title", None)
        if prop.get("default") is None:
            prop.pop("default", None)
        desc = prop.pop("description", None)
        p: dict[str, Any] = {"name": name, "in": where, "required": where == "path" or name in
                             required, "schema": prop}  # fmt: skip
        if desc:
            p["description"] = desc
        out.append(p)
    return out


def _path_params(rule: Rule, op: Operation) -> list[dict[str, Any]]:
    if not rule.arguments:
        return []
    if op.path is None:
        raise TypeError(f"{rule.rule}: an operation with path parameters needs a path model")
    return _params(op.path, "path")


def _content(model: type[BaseModel] | dict[str, Any] | None, names: dict[type, str],
             media: str) -> dict[str, Any] | None:  # fmt: skip
    if model is None:
        return None
    if isinstance(model, dict):
        return {media: {"schema": model}}
    return {media: {"schema": {"$ref": REF.format(model=names[model])}}}


def _problem_response(description: str) -> dict[str, Any]:
    return {
        "description": description,
        "content": {MEDIA_TYPE: {"schema": {"$ref": REF.format(model="Problem")}}},
    }


def _response(status: int, r: Resp, names: dict[type, str]) -> dict[str, Any]:
    if status >= 400:
        return _problem_response(r.description)
    out: dict[str, Any] = {"description": r.description}
    content = _content(r.model, names, r.media_type)
    if content:
        out["content"] = content
    if r.headers:
        out["headers"] = {
            h: {"schema": {"type": kind}, "required": True} for h, kind in r.headers.items()
        }
    return out


def _operation(rule: Rule, method: str, fn: Any, op: Operation,
               names: dict[type, str]) -> dict[str, Any]:  # fmt: skip
    params = _path_params(rule, op)
    if op.query is not None:
        params += _params(op.query, "query")
    if op.case_header:
        params.append({
            "name": CASE_HEADER, "in": "header", "required": False,
            "description": "auditors: the case (arbitration file) reference, percent-encoded "
                           "UTF-8; every auditor request is written to the access log",
            "schema": {"type": "string", "minLength": 1, "maxLength": 128,
                       "pattern": "^[\\x21-\\x7e][\\x20-\\x7e]*$"},
        })  # fmt: skip
    out: dict[str, Any] = {
        "operationId": fn.__name__,
        "summary": op.summary,
        "tags": list(op.tags),
        "parameters": params,
        "responses": {},
    }
    if op.description:
        out["description"] = op.description
    if op.roles is None:
        out["security"] = []
    else:
        out["security"] = [{"bearer": []}]
        out["x-roles"] = list(op.roles)
    if op.body is not None or op.raw_body is not None:
        schema = (
            op.raw_body()
            if op.raw_body is not None
            else {"$ref": REF.format(model=names[op.body])}  # type: ignore[index]
        )
        out["requestBody"] = {"required": True, "content": {"application/json": {"schema": schema}}}
    responses: dict[str, Any] = {}
    for status, r in sorted(op.responses.items()):
        responses[str(status)] = _response(status, r, names)
    standard = {}
    if params or op.body is not None or op.raw_body is not None:
        standard[400] = "malformed JSON or an invalid parameter"
    if op.roles is not None:
        standard.update({401: "no valid bearer token", 403: "the principal may not do this",
                         429: "rate limited (see Retry-After)"})  # fmt: skip
    if op.path is not None or rule.arguments:
        standard[404] = "no such resource"
    if op.body is not None or op.raw_body is not None:
        standard.update({413: "body too large", 415: "not application/json",
                         422: "the body does not match the schema, or a record was refused"})  # fmt: skip
    standard[503] = "the database is unavailable"
    for status, desc in standard.items():
        responses.setdefault(str(status), _problem_response(desc))
    responses["default"] = _problem_response("any other error, as problem details")
    out["responses"] = responses
    return out


def build_spec(app: Flask) -> dict[str, Any]:
    """The OpenAPI 3.1 document of ``app``'s routes that carry an ``operation``."""
    entries: list[tuple[Rule, str, Any, Operation]] = []
    for rule in app.url_map.iter_rules():
        fn = app.view_functions.get(rule.endpoint)
        op = operation_of(fn) if fn is not None else None
        if op is None:
            continue
        for method in sorted((rule.methods or set()) - {"HEAD", "OPTIONS"}):
            entries.append((rule, method.lower(), fn, op))
    model_list = _models([e[3] for e in entries])
    names = {m: m.__name__ for m in model_list}
    _, defs = models_json_schema(
        [(m, "validation" if issubclass(m, models.In) else "serialization") for m in model_list],
        ref_template=REF,
    )
    schemas = dict(sorted(defs.get("$defs", {}).items()))
    paths: dict[str, dict[str, Any]] = {}
    for rule, method, fn, op in sorted(entries, key=lambda e: (e[0].rule, e[1])):
        path = _ARG.sub(lambda m: "{" + m.group(2) + "}", rule.rule)
        paths.setdefault(path, {})[method] = _operation(rule, method, fn, op, names)
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "siteledger API",
            "version": "1",
            "summary": "Signed attendance and wage records, sealed into batches and anchored "
                       "on an Ethereum-compatible chain.",
            "description": (
                "Errors are RFC 9457 problem details (`application/problem+json`) with a stable "
                "`type` per kind of error: " + ", ".join(f"`{c}`" for c in sorted(PROBLEMS))
                + ". See docs/api.md for examples."
            ),
            "license": {"name": "Apache-2.0", "identifier": "Apache-2.0"},
        },
        "servers": [{"url": "/"}],
        "tags": [{"name": t} for t in
                 ("records", "proofs", "batches", "workers", "worker page", "presence", "admin",
                  "health")],
        "paths": paths,
        "components": {
            "schemas": schemas,
            "securitySchemes": {
                "bearer": {"type": "http", "scheme": "bearer",
                           "description": "an API token (`slt_...`) from an admin"},
            },
        },
        "security": [{"bearer": []}],
    }  # fmt: skip


def spec() -> dict[str, Any]:
    """The document for the current app, built once."""
    cached: dict[str, Any] | None = current_app.extensions.get("siteledger.openapi")
    if cached is None:
        cached = build_spec(current_app)
        current_app.extensions["siteledger.openapi"] = cached
    return cached


@bp.get("/openapi.json")
@operation(summary="OpenAPI 3.1 document", tags=("health",), roles=None,
           responses={200: Resp("this API's description", {"type": "object"})})  # fmt: skip
def openapi_json() -> Response:
    return Response(current_app.json.dumps(spec()), mimetype="application/json")


@bp.get("/docs")
@operation(summary="API reference (HTML)", tags=("health",), roles=None,
           responses={200: Resp("the reference page", {"type": "string"}, media_type="text/html")})  # fmt: skip
def docs() -> Response:
    return Response(render_html(spec()), mimetype="text/html")


# ------------------------------------------------------------------ the HTML page

_CSS = """
body{font:15px/1.5 system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;color:#222}
h1{margin-bottom:0}h2{border-bottom:1px solid #ccc;margin-top:2.5rem}
.op{border:1px solid #ddd;border-radius:6px;margin:1rem 0;padding:.5rem 1rem}
.m{display:inline-block;min-width:4rem;font-weight:bold;font-family:monospace}
.get{color:#1a6}.post{color:#c60}.delete{color:#c22}code,pre{font-family:ui-monospace,monospace}
pre{background:#f6f6f6;padding:.5rem;overflow:auto;font-size:12px;max-height:24rem}
table{border-collapse:collapse}td,th{border:1px solid #ddd;padding:2px 6px;text-align:left}
.roles{color:#666;font-size:13px}
"""


def _e(x: Any) -> str:
    return html.escape(str(x))


def _md(text: str) -> str:
    """The tiny bit of Markdown the descriptions use: `code` and **bold**."""
    out = _e(text)
    out = re.sub(r"`([^`]+)`", r"<code>\1</code>", out)
    out = re.sub(r"\*\*([^*]+)\*\*", r"<b>\1</b>", out)
    return out.replace("\n\n", "<br><br>")


def _schema_ref(schema: dict[str, Any]) -> str:
    ref = schema.get("$ref")
    if isinstance(ref, str):
        name = ref.rsplit("/", 1)[-1]
        return f'<a href="#schema-{_e(name)}">{_e(name)}</a>'
    if "anyOf" in schema:
        return " | ".join(_schema_ref(s) for s in schema["anyOf"])
    if schema.get("type") == "array":
        return "array of " + _schema_ref(schema.get("items", {}))
    return _e(schema.get("type", "any"))


def render_html(doc: dict[str, Any]) -> str:
    import json

    parts = [
        "<!doctype html><html lang=en><meta charset=utf-8>",
        f"<title>{_e(doc['info']['title'])}</title><style>{_CSS}</style>",
        f"<h1>{_e(doc['info']['title'])}</h1><p>{_md(doc['info']['summary'])}</p>",
        f"<p>{_md(doc['info']['description'])}</p>",
        '<p>Machine-readable: <a href="/openapi.json">/openapi.json</a> (OpenAPI 3.1).</p>',
    ]
    for tag in [t["name"] for t in doc["tags"]]:
        ops = [(p, m, o) for p, item in doc["paths"].items() for m, o in item.items()
               if tag in o["tags"]]  # fmt: skip
        if not ops:
            continue
        parts.append(f"<h2>{_e(tag)}</h2>")
        for path, method, o in ops:
            parts.append(f'<div class=op id="{_e(o["operationId"])}">')
            parts.append(f'<p><span class="m {method}">{method.upper()}</span>'
                         f"<code>{_e(path)}</code> — {_e(o['summary'])}</p>")  # fmt: skip
            roles = o.get("x-roles")
            parts.append(f"<p class=roles>{'roles: ' + ', '.join(roles) if roles else 'public'}"
                         "</p>")  # fmt: skip
            if o.get("description"):
                parts.append(f"<p>{_md(o['description'])}</p>")
            if o["parameters"]:
                parts.append("<table><tr><th>parameter</th><th>in</th><th>schema</th>"
                             "<th>description</th></tr>")  # fmt: skip
                for p in o["parameters"]:
                    req = " (required)" if p.get("required") else ""
                    parts.append(
                        f"<tr><td><code>{_e(p['name'])}</code>{req}</td><td>{_e(p['in'])}</td>"
                        f"<td><code>{_e(json.dumps(p['schema'], ensure_ascii=False))}</code></td>"
                        f"<td>{_e(p.get('description', ''))}</td></tr>"
                    )
                parts.append("</table>")
            body = o.get("requestBody")
            if body:
                schema = body["content"]["application/json"]["schema"]
                parts.append(f"<p>Body (application/json): {_schema_ref(schema)}</p>")
            parts.append("<table><tr><th>status</th><th>description</th><th>body</th></tr>")
            for status, r in o["responses"].items():
                content = r.get("content", {})
                shown = ", ".join(f"{_e(mt)}: {_schema_ref(c.get('schema', {}))}"
                                  for mt, c in content.items())  # fmt: skip
                parts.append(f"<tr><td>{_e(status)}</td><td>{_e(r['description'])}</td>"
                             f"<td>{shown}</td></tr>")  # fmt: skip
            parts.append("</table></div>")
    parts.append("<h2>schemas</h2>")
    for name, schema in doc["components"]["schemas"].items():
        parts.append(f'<h3 id="schema-{_e(name)}">{_e(name)}</h3>')
        parts.append(f"<pre>{_e(json.dumps(schema, indent=2, ensure_ascii=False))}</pre>")
    parts.append("</html>")
    return "\n".join(parts)
