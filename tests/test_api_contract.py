"""The API against its own OpenAPI document, both ways, with Schemathesis on the real server.

Positive data (everything the document allows) must be answered 2xx or a documented 404/503,
with a body that matches the document; negative data (what it forbids) must be refused with a
4xx. Every other check Schemathesis has runs too (call_and_validate's defaults). Examples are
bounded (MAX_EXAMPLES per operation and mode) and derandomized, so a run is repeatable.

Schemathesis' "negative" cases are mutations of a schema, and two of its mutations are not
invalid on the wire: an array of one string is sent exactly like a string, and mutating one
branch of an anyOf can leave the whole valid. So for /api/search the verdict is ours, in both
modes: the query string actually sent is read back the way a server reads it and validated
against the document (jsonschema, draft 4 as OpenAPI 3.0 uses); invalid must get a 4xx, valid
must get a 200 (Schemathesis' positive-acceptance check lets a documented 400 pass).

Schemathesis' own pytest loader (`from_fixture`) breaks on pytest 9 (it sets Node._nodeid), so the
operations are listed here and each runs as a Hypothesis test of its own.
"""
from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

import jsonschema_rs
import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings as hsettings
from schemathesis import GenerationMode
from schemathesis.specs.openapi.checks import negative_data_rejection, positive_data_acceptance

from searchapp.config import Settings
from searchapp.errors import QueryError
from searchapp.search.query import parse
from searchapp.serve import Running, start_in_thread
from searchapp.web.openapi import compare_parameters, export_parameters, search_parameters
from searchapp.web.params import clean_text
from web_support import build_index

MAX_EXAMPLES = 100
POSITIVE = GenerationMode.POSITIVE
NEGATIVE = GenerationMode.NEGATIVE


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Running]:
    running = start_in_thread(build_index(tmp_path_factory.mktemp("contract")))
    yield running
    running.stop()


@pytest.fixture(scope="module")
def api_schema(server: Running):
    return schemathesis.openapi.from_url(server.url + "/api/openapi.json")


def _coerce(raw: str, schema: dict[str, Any]) -> Any:
    if schema.get("type") == "integer" and re.fullmatch(r"-?[0-9]+", raw):
        return int(raw)
    return raw


def wire_valid(url: str, settings: Settings, parameters=search_parameters) -> bool:
    """Return whether the query string of `url` is one the document allows for /api/search
    (or, with export_parameters or compare_parameters, for /api/export or /api/compare)."""
    query = parse_qs(urlsplit(url).query, keep_blank_values=True)
    for param in parameters(settings):
        schema = param["schema"]
        if schema.get("type") == "object":
            names = [k for k in schema["properties"] if k in query]
            value: Any = {}
            for k in names:
                if len(query[k]) != 1:
                    return False
                value[k] = _coerce(query[k][0], schema["properties"][k])
        elif param["name"] not in query:
            continue
        elif schema.get("type") == "array":
            value = query[param["name"]]
        else:
            if len(query[param["name"]]) != 1:
                return False
            value = _coerce(query[param["name"]][0], schema)
        if not jsonschema_rs.Draft4Validator(schema).is_valid(value):
            return False
    return True


def compare_valid(url: str, settings: Settings) -> bool:
    """Return whether `url` asks /api/compare for something it answers: the document's parameters,
    and 2 to max_compare_queries queries that are not blank once control characters are spaces
    (the baseline counting as one) -- the count a schema cannot state."""
    if not wire_valid(url, settings, compare_parameters):
        return False
    query = parse_qs(urlsplit(url).query, keep_blank_values=True)
    texts = [q for q in query.get("q", []) if re.sub(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]", " ", q).strip()]
    n = len(texts) + (query.get("baseline", ["0"])[0] in ("1", "true"))
    return 2 <= n <= settings.max_compare_queries


def language_refusal(url: str, settings: Settings) -> str | None:
    """Return the query language's refusal of the URL's q (a wildcard inside a word, too short a
    prefix, too many terms), None when it takes it. JSON Schema cannot state these rules; the
    document states them in q's description and answers them with its documented 400."""
    for q in parse_qs(urlsplit(url).query, keep_blank_values=True).get("q", [""]):
        try:   # (a comparison's queries are parsed in turn: the first refusal is its answer)
            parse(clean_text(q), settings)
        except QueryError as exc:
            return str(exc)
    return None


def save_refusal(body: dict[str, Any], settings: Settings) -> bool:
    """Return whether POST /api/saved refuses a schema-valid body: its q is one the query language
    refuses, or its from is after its to."""
    from searchapp.web.params import parse_date

    if language_refusal("http://x/?" + urlencode({"q": body.get("q", "")}), settings):
        return True
    start, end = parse_date("from", body.get("from"), end=False), parse_date("to", body.get("to"), end=True)
    return bool(start and end and start > end)


def test_the_wire_validator_knows_the_export_parameters() -> None:
    s, base = Settings(), "http://x/api/export?"
    for ok in ("", "format=csv", "format=jsonl&q=csto&sort=newest", "undated=1&format=csv"):
        assert wire_valid(base + ok, s, export_parameters), ok
    for bad in ("format=xls", "format=", "format=csv&format=jsonl", "month=7&format=csv"):
        assert not wire_valid(base + bad, s, export_parameters), bad


def test_the_wire_validator_agrees_with_the_examples_the_issue_gave() -> None:
    s, base = Settings(), "http://x/api/search?"
    for ok in ("", "q=csto", "from=&to=", "undated=true", "year=2016&month=2&day=29",
               "from=2019&to=2018", "source=a&source=b", "undated=1&from="):
        assert wire_valid(base + ok, s), ok
    for bad in ("from=0000", "month=7", "day=3", "year=2017&day=3", "undated=1&year=2017",
                "size=%EF%BC%91%EF%BC%90", "year=2017&month=2&day=29", "undated=yes",
                "sort=", "page=", "size=0", "q=" + "x" * 501):
        assert not wire_valid(base + bad, s), bad


def test_every_operation_is_exercised(api_schema) -> None:
    # Schemathesis leaves out the document's own path (/api/openapi.json); test_web checks it.
    ids = {op.ok().definition.raw["operationId"] for op in api_schema.get_all_operations()}
    assert ids == {op for op, _ in CASES}


# Only /api/search, /api/compare and /api/export have parameters that can be wrong (an article id is any string).
CASES = [("search", POSITIVE), ("search", NEGATIVE), ("compare", POSITIVE), ("compare", NEGATIVE),
         ("exportResults", POSITIVE), ("exportResults", NEGATIVE), ("getArticle", POSITIVE),
         ("listSources", POSITIVE), ("health", POSITIVE),
         # saved searches: a body or an id can be wrong, answered with documented 400/404/409s
         ("saveSearch", POSITIVE), ("listSaved", POSITIVE), ("getSaved", POSITIVE), ("renameSaved", POSITIVE),
         ("markSeen", POSITIVE), ("deleteSaved", POSITIVE)]
# The operations whose verdict is ours (see the module docstring): whether a URL is valid for each.
CHECKED = {"search": lambda url, s: wire_valid(url, s, search_parameters),
           "exportResults": lambda url, s: wire_valid(url, s, export_parameters),
           "compare": compare_valid}


@pytest.mark.parametrize("operation, mode", CASES)
def test_api_matches_its_document(api_schema, server: Running, operation: str,
                                  mode: GenerationMode) -> None:
    strategy = api_schema.find_operation_by_id(operation).as_strategy(generation_mode=mode)
    settings = server.app.config["SEARCHAPP_SETTINGS"]
    outcomes: list[tuple[bool, int]] = []

    @hsettings(max_examples=MAX_EXAMPLES, deadline=None, derandomize=True, database=None,
               suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
    @given(case=strategy)
    def run(case) -> None:
        # For the operations whose verdict is ours, ours replaces Schemathesis' positive check
        # too: it knows the query language's documented 400 (language_refusal), and a
        # comparison's query count, which its schema cannot state.
        excluded = [negative_data_rejection] + ([positive_data_acceptance]
                                                if operation in CHECKED or operation == "saveSearch" else [])
        response = case.call_and_validate(base_url=server.url, timeout=30,
                                          excluded_checks=excluded)
        if operation == "saveSearch":
            # The query language's refusal and a from after to are the documented 400s no schema
            # states; the name may be taken (409); anything else the document allows is saved.
            refused = save_refusal(case.body, settings)
            expected = (400,) if refused else (201, 409)
            assert response.status_code in expected, f"{case.body!r} got {response.status_code}: {response.text[:300]}"
            outcomes.append((True, response.status_code))
            return
        if operation not in CHECKED:
            outcomes.append((True, response.status_code))
            return
        url = response.request.url
        valid = CHECKED[operation](url, settings)
        # (a comparison's positive case may hold too few queries: the schema cannot count them)
        assert valid or mode is NEGATIVE or operation == "compare", \
            f"Schemathesis' positive case is not valid: {url}"
        refused = language_refusal(url, settings) if valid else None
        if refused:
            assert response.status_code == 400 and response.json()["error"]["message"] == refused, \
                f"{url} got {response.status_code}, expected the 400 '{refused}': {response.text[:300]}"
            outcomes.append((valid, response.status_code))
            return
        expected = "200" if valid else "a 4xx"
        assert (response.status_code == 200) if valid else (400 <= response.status_code < 500), \
            f"{url} got {response.status_code}, expected {expected}: {response.text[:300]}"
        outcomes.append((valid, response.status_code))

    run()
    if mode is NEGATIVE:
        assert sum(not valid for valid, _ in outcomes) >= MAX_EXAMPLES // 4, outcomes
    else:
        assert outcomes and all(status < 500 for _, status in outcomes)
        if operation == "compare":   # (some positive cases must compare something: most hold too few queries)
            assert sum(valid and status == 200 for valid, status in outcomes) >= 5, outcomes
