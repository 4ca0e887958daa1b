"""`cliploom inspect OUT`: one clip's full record, or the clips matching filters, from the manifest.

Queries run in DuckDB over the Parquet files (`pipelines.tables`), so a manifest of millions of
rows is never loaded into Python; only the printed rows are. `--where` takes comparisons of a
manifest column with a literal, combined with and/or and parentheses (`motion_mean_px < 1 and
status = 'kept'`). The expression is parsed here into SQL with the column names checked against
the manifest and every literal passed as a query parameter: anything else is refused.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Iterator
from dataclasses import dataclass

from pipelines.tables import columns, open_tables

DEFAULT_COLUMNS = ("clip_id", "source", "start_s", "end_s", "status", "drop_reasons")
_OPERATORS = {
    "=": "=",
    "==": "=",
    "!=": "<>",
    "<>": "<>",
    "<": "<",
    "<=": "<=",
    ">": ">",
    ">=": ">=",
}
_TOKEN = re.compile(
    r"""\s*(?:
    (?P<number>[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?)
    |(?P<string>'(?:[^']|'')*'|"(?:[^"]|"")*")
    |(?P<op><=|>=|==|!=|<>|<|>|=)
    |(?P<paren>[()])
    |(?P<word>[A-Za-z_][A-Za-z0-9_]*)
    )""",
    re.VERBOSE,
)
_SCALAR_TYPES = {
    "VARCHAR",
    "BIGINT",
    "INTEGER",
    "SMALLINT",
    "DOUBLE",
    "FLOAT",
    "BOOLEAN",
    "DECIMAL",
}


class WhereError(ValueError):
    """A --where expression that is not comparisons of columns with literals."""


@dataclass(frozen=True)
class Token:
    kind: str
    text: str
    pos: int


def tokenize(expr: str) -> list[Token]:
    tokens, pos = [], 0
    expr = expr.rstrip()
    while pos < len(expr):
        match = _TOKEN.match(expr, pos)
        if not match or match.end() == pos:
            raise WhereError(f"cannot read {expr[pos:].strip()[:20]!r} at character {pos}")
        kind = match.lastgroup
        tokens.append(Token(kind, match.group(kind), match.start(kind)))
        pos = match.end()
    return tokens


def parse_where(expr: str, known: dict[str, str]) -> tuple[str, list]:
    """`expr` -> (SQL condition, parameters). `known` maps manifest columns to their types.

    Grammar: expr := term ('or' term)*; term := factor ('and' factor)*;
    factor := '(' expr ')' | column op literal; op is one of = == != <> < <= > >=;
    literal is a number, a quoted string, true, false or null (`= null`, `!= null` test for null).
    """
    tokens = tokenize(expr)
    params: list = []
    i = 0

    def peek() -> Token | None:
        return tokens[i] if i < len(tokens) else None

    def take() -> Token:
        nonlocal i
        if i >= len(tokens):
            raise WhereError("the expression ends too early")
        i += 1
        return tokens[i - 1]

    def keyword(tok: Token | None, word: str) -> bool:
        return tok is not None and tok.kind == "word" and tok.text.lower() == word

    def parse_expr() -> str:
        parts = [parse_term()]
        while keyword(peek(), "or"):
            take()
            parts.append(parse_term())
        return parts[0] if len(parts) == 1 else "(" + " OR ".join(parts) + ")"

    def parse_term() -> str:
        parts = [parse_factor()]
        while keyword(peek(), "and"):
            take()
            parts.append(parse_factor())
        return parts[0] if len(parts) == 1 else "(" + " AND ".join(parts) + ")"

    def parse_factor() -> str:
        tok = take()
        if tok.kind == "paren" and tok.text == "(":
            inner = parse_expr()
            close = take()
            if close.text != ")":
                raise WhereError(f"expected ')' at character {close.pos}")
            return inner
        if tok.kind != "word" or tok.text.lower() in ("and", "or", "true", "false", "null"):
            raise WhereError(f"expected a column name at character {tok.pos}, got {tok.text!r}")
        if tok.text not in known:
            raise WhereError(f"unknown column {tok.text!r}; columns: {', '.join(sorted(known))}")
        kind = known[tok.text]
        if kind.endswith("]") or kind.split("(")[0] not in _SCALAR_TYPES:
            raise WhereError(f"{tok.text} is a {known[tok.text]}: only scalar columns compare")
        op = take()
        if op.kind != "op":
            raise WhereError(f"expected a comparison after {tok.text} at character {op.pos}")
        column, sql_op = f'"{tok.text}"', _OPERATORS[op.text]
        value = literal(take())
        if value is None:
            if sql_op not in ("=", "<>"):
                raise WhereError("null only compares with = or !=")
            return f"{column} IS {'NOT ' if sql_op == '<>' else ''}NULL"
        params.append(value)
        return f"{column} {sql_op} ?"

    def literal(tok: Token):
        if tok.kind == "number":
            number = float(tok.text)
            if not math.isfinite(number):
                raise WhereError(f"{tok.text} is not a finite number")
            return int(number) if re.fullmatch(r"[-+]?\d+", tok.text) else number
        if tok.kind == "string":
            quote = tok.text[0]
            return tok.text[1:-1].replace(quote * 2, quote)
        if tok.kind == "word" and tok.text.lower() in ("true", "false"):
            return tok.text.lower() == "true"
        if tok.kind == "word" and tok.text.lower() == "null":
            return None
        raise WhereError(f"expected a literal at character {tok.pos}, got {tok.text!r}")

    if not tokens:
        raise WhereError("empty expression")
    sql = parse_expr()
    if i != len(tokens):
        raise WhereError(f"unexpected {tokens[i].text!r} at character {tokens[i].pos}")
    return sql, params


def _conditions(args, known: dict[str, str]) -> tuple[list[str], list]:
    conditions, params = [], []
    if args.clip:
        conditions.append("starts_with(clip_id, ?)")
        params.append(args.clip)
    if args.reason:
        conditions.append("list_contains(drop_reasons, ?)")
        params.append(args.reason)
    if args.source:  # the full URI, or its file name
        conditions.append("(source = ? OR ends_with(source, '/' || ?))")
        params += [args.source, args.source]
    if args.where:
        sql, where_params = parse_where(args.where, known)
        conditions.append(sql)
        params += where_params
    return conditions, params


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:.4g}"
    if isinstance(value, list):
        return ",".join(_cell(v) for v in value)
    return str(value)


def _full_record(row: dict) -> Iterator[str]:
    width = max(len(k) for k in row)
    for key, value in row.items():
        if isinstance(value, list) and len(value) > 8:
            shown = json.dumps(value[:8], ensure_ascii=False)[:-1] + f", ... {len(value)} items]"
        else:
            shown = json.dumps(value, ensure_ascii=False, default=str)
        yield f"{key:<{width}}  {shown}"


def inspect(args) -> Iterator[str]:
    """Lines to print for `cliploom inspect` (raises WhereError, ValueError on bad options)."""
    with open_tables(args.out) as con:
        known = columns(con)
        shown = list(DEFAULT_COLUMNS)
        if args.columns:
            shown = [c.strip() for c in args.columns.split(",") if c.strip()]
            unknown = [c for c in shown if c not in known]
            if unknown:
                raise ValueError(f"unknown columns {unknown}; columns: {', '.join(sorted(known))}")
        conditions, params = _conditions(args, known)
        where = " WHERE " + " AND ".join(conditions) if conditions else ""
        total = con.execute(f"SELECT count(*) FROM manifest{where}", params).fetchone()[0]
        if args.clip and total == 0:
            raise LookupError(f"no clip {args.clip!r} matches these filters")
        if args.clip and total == 1 and not args.columns:
            cursor = con.execute(f"SELECT * FROM manifest{where}", params)
            names = [d[0] for d in cursor.description]
            yield from _full_record(dict(zip(names, cursor.fetchone(), strict=True)))
            return
        if not conditions and not args.columns:
            yield from _summary(con, total)
            return
        select = ", ".join(f'"{c}"' for c in shown)
        cursor = con.execute(
            f"SELECT {select} FROM manifest{where} ORDER BY source, start_s, clip_id LIMIT ?",
            [*params, args.limit],
        )
        if args.json:
            while batch := cursor.fetchmany(1000):
                for row in batch:
                    record = dict(zip(shown, row, strict=True))
                    yield json.dumps(record, ensure_ascii=False, default=str)
        else:
            yield "\t".join(shown)
            while batch := cursor.fetchmany(1000):
                for row in batch:
                    yield "\t".join(_cell(v) for v in row)
        if total > args.limit:
            yield f"# {args.limit} of {total} matching clips shown (--limit N for more)"
        elif not args.json:
            yield f"# {total} matching clips"


def _summary(con, total: int) -> Iterator[str]:
    status = dict(con.execute("SELECT status, count(*) FROM manifest GROUP BY 1").fetchall())
    yield f"{total} clips: {status.get('kept', 0)} kept, {status.get('dropped', 0)} dropped"
    reasons = con.execute(
        "SELECT r, count(*) AS n FROM (SELECT unnest(drop_reasons) AS r FROM manifest) "
        "GROUP BY r ORDER BY n DESC, r"
    ).fetchall()
    for reason, n in reasons:
        yield f"  {reason:<24}{n:>10}"
    failures = con.execute("SELECT count(*) FROM failures").fetchone()[0]
    yield f"{failures} failures"
    yield "filter with --clip ID, --reason R, --source S or --where 'motion_mean_px < 1'"
