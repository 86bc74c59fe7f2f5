"""Every error sitrep reports, with a stable code (as spaCy's ``errors.py``).

A message is read as ``Errors.E101.format(value=...)`` and starts with its code in
brackets, so a user can search for ``E101`` in the README, an issue or a log, however the
wording changes. The exceptions stay the built-in kinds (``ValueError`` for bad input or
settings, ``ConnectionError`` for an unreachable service), so callers catch them as before.
Codes by area: E0xx settings, E1xx reading input, E2xx tables of claims (``import-claims``),
E3xx the store (E35x its filters, E37x series), E4xx the API's parameters, E5xx running
(ingest, Dask).

Example:
    >>> Errors.E101.format(value="18/12/2024")
    "[E101] impossible date '18/12/2024' (expected YYYY-MM-DD)"
"""

from __future__ import annotations

from typing import Any


class _Coded(type):
    """Prefixes each message with its attribute name, the code."""

    def __getattribute__(cls, name: str) -> Any:
        message = super().__getattribute__(name)
        if name.startswith("_") or not isinstance(message, str):
            return message
        return f"[{name}] {message}"


class Errors(metaclass=_Coded):
    """The messages, by code. A code is never reused for another error."""

    # Settings and options
    E001 = "unknown focus {value!r} (expected one of {choices})"
    E002 = "EncoderOptions.threads={value}: expected 1 or more"
    E003 = "{variable}={value!r}: expected a whole number, 1 or more"
    E004 = "{name}: anchor_date {value!r} is not a date (YYYY-MM-DD)"
    E005 = "{name}: threshold {value!r} is not a probability (0 to 1)"
    E006 = "unknown corpus {value!r} (expected one of {choices})"
    E007 = "unknown export format {value!r} (expected one of {choices})"
    E008 = "attribute ruler operator {value!r} is not supported"

    # Reading input: articles in any format
    E101 = "impossible date {value!r} (expected YYYY-MM-DD)"
    E102 = "impossible date {value!r}"
    E103 = "no main text in the HTML page"
    E104 = "no main text in the HTML page (only {words} words of page furniture)"
    E105 = "not a JSON object"
    E106 = "no text"
    E107 = "empty text"
    E108 = "binary file ({kind}), not text"
    E109 = "not {codec} despite its byte-order mark (byte {position})"
    E110 = ("mixed encodings: UTF-8 text with a byte that is not UTF-8 (0x{byte:02x}) at "
            "byte {position}")
    E111 = "{not_utf8}, {declared}, and no charset detected with confidence ({why})"

    # Tables of claims (sitrep import-claims)
    E201 = "unknown table format {value!r}; choose one of {choices}"
    E202 = ("{where}: cannot tell the table format (expected The Economist's estimates: "
            "claimant, losses_of, type; or the General Staff's daily losses: personnel, "
            "equipment)")
    E203 = "{where}: no rows"
    E204 = "{field}: missing or not text"
    E205 = "losses_of: {value!r} is neither russia nor ukraine"
    E206 = "type: {value!r} is neither deaths nor casualties"
    E207 = "no estimate, estimate_low or estimate_high: the row states no number"
    E208 = "estimate_low {low} is above estimate_high {high}"
    E209 = "estimate {best} lies outside estimate_low {low} to estimate_high {high}"
    E210 = "from_warring_party: not true/false: {value!r}"
    E211 = "equipment: not an object"
    E212 = "no personnel, pow or equipment figure: the row states no number"
    E213 = "personnel_qualifier: unknown {value!r}"
    E214 = "{field}: not a number: {value!r}"
    E215 = "{field}: not a whole non-negative number: {value!r}"
    E216 = "{field}: not a YYYY-MM-DD date: {value!r}"

    # The store: opening, records, queries
    E301 = "no such database: {shown}"
    E302 = "sqlite_begin must be one of {choices}, not {value!r}"
    E303 = "cannot migrate the database to {revision!r} ({cause}); is it from a newer sitrep?"
    E304 = ("{shown}: not a database sitrep can open (a SQLite file name, sqlite:///PATH or "
            "postgresql://USER@HOST/DB)")
    E305 = ("{shown} holds no sitrep tables; 'sitrep ingest' or 'sitrep import-claims' creates "
            "them")
    E306 = "cannot open {shown}: {reason}"
    E307 = "no run {value}"
    E308 = "article {article!r}: {cause}"
    E309 = "no article {value}"
    E310 = "article {article} is not in copy group {group}"
    E311 = "cannot count {value!r}; choose one of {choices}"
    E312 = "table row {row!r}: key {key!r} given twice"
    E313 = "table rows: {cause}"
    E314 = "unknown run count {value!r}; known: {choices}"
    E315 = "{path}.anonymous: not true/false: {value!r}"
    E316 = "{path}: not a scope ({choices}): {value!r}"
    E317 = "{path}: not an object: {value!r}"
    E318 = "{path}.{name}: not a list: {value!r}"
    E319 = "{path}: not a string: {value!r}"
    E320 = "{path}: not a finite number: {value!r}"
    E321 = "{path}: {first} {low:g} is above {second} {high:g} (low <= best <= high)"
    E322 = "{path}: not an integer: {value!r}"
    E323 = "{path}: not a YYYY-MM-DD date: {value!r}"
    E324 = "{path}: {cause}"
    E325 = "article {article!r}: the record is not an object: {value!r}"
    E326 = "no copy group {value}"
    E327 = "sort must be a column name, not {value!r}"
    E328 = "cannot sort by {value!r}; choose one of {choices}"
    E329 = "{name} must be a non-negative integer, not {value!r}"
    E330 = "expected text, not {value!r}"
    E331 = "{name} must be a YYYY-MM-DD date, not {value!r}"
    E332 = "anonymous must be true or false, not {value!r}"
    E333 = "not JSON: {value!r}"
    E334 = "{table} has no filter {value!r}; choose one of {choices}"
    E335 = "copies must be true or false, not {value!r}"
    E336 = "reserved article ids need PostgreSQL, not {dialect}"
    E337 = "{ids} reserved ids for {items} articles"

    # Filters (the CLI's options and the API's query parameters alike)
    E351 = "must be at most {limit} characters"
    E352 = "must not contain control characters"
    E353 = "{value!r} is not a kind; choose one of {choices}"
    E354 = "{value!r} is not a scope; choose one of {choices}"
    E355 = "{value!r} is not an ISO 3166-1 alpha-2 country code{hint}"
    E356 = "{value!r} is not a date as YYYY-MM-DD"

    # Series
    E371 = "window_days must be a non-negative integer or None, not {value!r}"
    E372 = "cannot sort series by {value!r}; choose one of {choices}"

    # The API's parameters
    E401 = "must not contain NUL characters"
    E402 = "must be an http:// or https:// URL"
    E403 = "must not be blank"
    E404 = "is longer than {limit} bytes"

    # Running: ingest, worker processes, Dask
    E501 = "extraction returned {results} results for {articles} articles"
    E502 = ("dask={value!r}: an extractor object runs in this process; it cannot be combined "
            "with Dask extraction")
    E503 = "{value!r}: local:N needs N >= 1 worker processes"
    E504 = "{value!r} is not a Dask scheduler (expected tcp://HOST:PORT or local:N)"
    E505 = "--dask {value}: no Dask scheduler answered there ({cause})"
    E506 = "--dask {value}: the scheduler has had no workers for {seconds} s"
    E507 = ("workers={value} with dask={dask!r}: Dask's workers are the processes, each "
            "extracts in one")
    E508 = "worker process started without start_worker"
    E509 = "workers={value}: extraction needs at least 1 process"
    E510 = ("an Extractor runs in this process (workers={workers}, dask={dask!r}): "
            "sitrep.run.Runner runs extraction in worker processes or on Dask")
    E511 = "a worker saves a batch with reserved ids (ReservedBatch), not a {value}"
