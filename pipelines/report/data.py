"""What the report shows, as numbers: every aggregate is one DuckDB query over all rows.

Nothing here iterates over manifest rows in Python, and no query holds state per clip outside
DuckDB's memory limit (its scan still keeps ~16 kB per Parquet part): sums, counts, min/max and
bin counts have fixed-size states; groupings by source, scene or duplicate group are hash
aggregates, spilled to disk past the limit and run in passes by hash of the key (`passes`);
"first k" lists are bounded heaps (`min(x, k)`, `min_by`, ORDER BY ...
LIMIT k), never a window or `list()` over all rows. Aggregates (funnel, histograms, reasons,
failures) read every row and are exact, but for one: the 99.5th percentile that decides whether
a histogram's last bar takes a long tail is that of a deterministic sample of about
`report.quantile_sample` clips by hash of id (exact up to that many clips). Lists of examples
(strips, caption pairs, duplicate groups) are bounded, deterministic samples: clips in id order,
and ids are hashes, so the first k of a reason are an unbiased sample that a re-run picks again.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

# Columns never fetched for samples: large lists that the page does not show.
_HEAVY = ("image_embedding", "phash", "phash_center", "text_area_fracs")


@dataclass(frozen=True)
class Score:
    """A histogram: a manifest column (or SQL over columns), its thresholds as config keys."""

    name: str
    label: str
    sql: str
    thresholds: tuple[str, ...] = ()
    log: bool = False
    needs: tuple[str, ...] = field(default=())  # columns the SQL reads; defaults to (name,)


def _text_frames_sql(min_area: float) -> str:
    return (
        f"CASE WHEN len(text_area_fracs) > 0 THEN "
        f"len(list_filter(text_area_fracs, lambda a: a > {float(min_area)!r})) "
        f"/ len(text_area_fracs) END"
    )


def scores(config: dict) -> list[Score]:
    """The histograms of the report, with the thresholds of the run's config."""
    text_min = (config.get("quality") or {}).get("text_min_area_frac") or 0.02
    q, c = "quality.", "caption_qa."
    return [
        Score("duration_s", "clip duration (s)", "duration_s",
              ("clips.min_clip_s", "clips.max_clip_s")),
        Score("luma_mean", "mean luma (0-255)", "luma_mean"),
        Score("dark_frac", "share of near-black frames", "dark_frac", (q + "max_dark_frac",)),
        Score("bright_frac", "share of blown-out frames", "bright_frac",
              (q + "max_bright_frac",)),
        Score("blur_var", "sharpness: Laplacian variance (log)", "blur_var",
              (q + "min_blur",), log=True),
        Score("motion_top5_px", "motion, top 5% (px per 1/8 s, log)", "motion_top5_px",
              (q + "min_motion_top5_px",), log=True),
        Score("motion_mean_px", "mean motion (px per 1/8 s)", "motion_mean_px",
              (q + "max_motion_mean_px",)),
        Score("camera_jitter_px", "camera shake (px)", "camera_jitter_px",
              (q + "max_camera_jitter_px",)),
        Score("luma_flicker", "flicker (luma jump, 0-255)", "luma_flicker",
              (q + "max_luma_flicker",)),
        Score("text_area_frac", "text area, mean share of frame", "text_area_frac",
              (q + "text_min_area_frac",)),
        Score("text_frames_frac", f"share of frames with text over {text_min:g}",
              _text_frames_sql(text_min), (q + "max_text_frames_frac",),
              needs=("text_area_fracs",)),
        Score("aesthetic", "LAION aesthetic score", "aesthetic", (q + "min_aesthetic",)),
        Score("caption_en_words", "caption_en words", "len(string_split(trim(caption_en), ' '))",
              (c + "en_words",), needs=("caption_en",)),
        Score("caption_zh_chars", "caption_zh characters", "length(caption_zh)",
              (c + "zh_chars",), needs=("caption_zh",)),
    ]  # fmt: skip


def config_value(config: dict, key: str):
    node = config
    for part in key.split("."):
        if not isinstance(node, dict) or part not in node:
            return None
        node = node[part]
    return node


def threshold_values(config: dict, keys: tuple[str, ...]) -> list[tuple[str, float]]:
    """(key, value) for each configured threshold; a [low, high] range gives both ends."""
    out = []
    for key in keys:
        value = config_value(config, key)
        if isinstance(value, list | tuple):
            out += [(f"{key}[{i}]", float(v)) for i, v in enumerate(value) if v is not None]
        elif isinstance(value, int | float) and not isinstance(value, bool):
            out.append((key, float(value)))
    return out


def passes(con, table: str, rows_per_pass: int, where: str = "TRUE") -> int:
    """Passes that keep a grouping of `table`'s rows (those `where` holds) under about
    `rows_per_pass` rows each. DuckDB spills a hash aggregate past its memory limit, but
    finishes it one partition at a time, and a partition's share grows with the groups (one
    pass over 16M scenes runs out of 64 MB); a pass takes the keys of one hash slice."""
    rows = con.execute(f"SELECT count(*) FROM {table} WHERE {where}").fetchone()[0]
    return max(1, math.ceil(rows / rows_per_pass))


def slices(key: str, k: int) -> list[str]:
    """SQL conditions splitting rows into `k` passes by the hash of `key`: each key's rows meet
    in one pass, so counts and sums per key add up over passes exactly."""
    return ["TRUE"] if k == 1 else [f"hash({key}) % {k} = {i}" for i in range(k)]


def _summed(con, sql: str, key: str, k: int) -> list:
    """`sql`'s one row (its `{where}` replaced by each pass's slice), added up over the passes."""
    total = None
    for where in slices(key, k):
        row = con.execute(sql.replace("{where}", where)).fetchone()
        if total is None:
            total = list(row)
        else:
            total = [_add(a, b) for a, b in zip(total, row, strict=True)]
    return total


def _add(a, b):
    return a if b is None else b if a is None else a + b


def funnel(con, rows_per_pass: int) -> dict:
    """videos -> scenes -> clips -> kept, in counts and hours, and hours lost per reason."""
    # groupings by source and scene in passes by hash of source (one pass below
    # rows_per_pass rows); each grouping read once (a CTE read twice is materialized whole)
    k = passes(con, "manifest", rows_per_pass)
    sources = _summed(
        con,
        """
        SELECT count(*), sum(d), count(*) FILTER (WHERE split), sum(d) FILTER (WHERE split)
        FROM (SELECT any_value(source_duration_s) AS d, bool_or(scene_index IS NOT NULL) AS split
              FROM manifest WHERE {where} GROUP BY source)
        """,
        "source",
        k,
    )
    scenes = _summed(
        con,
        """
        SELECT count(*), sum(d)
        FROM (SELECT any_value(scene_end_s - scene_start_s) AS d FROM manifest
              WHERE scene_index IS NOT NULL AND {where} GROUP BY source, scene_index)
        """,
        "source",
        k,
    )
    clips = con.execute(
        """
        SELECT count(*) FILTER (WHERE scene_index IS NOT NULL),
               sum(duration_s) FILTER (WHERE scene_index IS NOT NULL),
               count(*) FILTER (WHERE status = 'kept'),
               sum(duration_s) FILTER (WHERE status = 'kept'),
               count(*) FILTER (WHERE scene_index IS NOT NULL AND len(drop_reasons) > 1)
        FROM manifest
        """
    ).fetchone()
    failed = _summed(
        con,
        "SELECT count(*) FROM (SELECT source FROM failures WHERE {where} GROUP BY source)",
        "source",
        passes(con, "failures", rows_per_pass),
    )
    row = [*sources, *scenes, *clips, *failed]
    hours = [(v or 0) / 3600 for v in row[1:10:2]]
    steps = [
        ("videos in the manifest", row[0], hours[0]),
        ("videos split into scenes", row[2], hours[1]),
        ("scenes", row[4], hours[2]),
        ("candidate clips", row[6], hours[3]),
        ("kept clips", row[8], hours[4]),
    ]
    reasons = con.execute(
        """
        SELECT reason, scene_index IS NULL AS whole_video, count(*) AS n,
               sum(CASE WHEN scene_index IS NULL THEN source_duration_s ELSE duration_s END)
                   / 3600 AS hours,
               count(*) FILTER (WHERE n_reasons = 1) AS only_reason,
               coalesce(sum(duration_s) FILTER (WHERE n_reasons = 1), 0) / 3600 AS only_hours
        FROM (SELECT unnest(drop_reasons) AS reason, len(drop_reasons) AS n_reasons,
                     scene_index, duration_s, source_duration_s FROM manifest)
        GROUP BY ALL ORDER BY hours DESC, reason
        """
    ).fetchall()
    return {
        "steps": steps,
        "multi_reason_clips": row[10],
        "failed_sources": row[11],
        "reasons": [
            {
                "reason": r[0],
                "whole_video": r[1],
                "clips": r[2],
                "hours": r[3] or 0.0,
                "only_reason": r[4],
                "only_hours": r[5] or 0.0,
            }
            for r in reasons
        ],
    }


def histograms(
    con, wanted: list[tuple[Score, list[tuple[str, float]]]], bins: int, quantile_sample: int
) -> list[dict | None]:
    """Bins of each score over every clip with a value, kept and dropped apart, with its
    thresholds (`wanted`: (score, its (key, value) thresholds)); None for a score without
    values. Three queries for all of them (each a scan of the manifest): the ranges and the
    clips near and on either side of each threshold, the 99.5th percentiles (of a bounded
    sample of `quantile_sample` clips: all clips of a smaller run), then every score's bins."""
    if not wanted:
        return []
    values = ", ".join(f"({score.sql})::DOUBLE AS v{i}" for i, (score, _) in enumerate(wanted))
    clips = f"SELECT {values}, status = 'kept' AS kept FROM manifest WHERE scene_index IS NOT NULL"
    columns, params = [], []
    for i, (_, thresholds) in enumerate(wanted):
        v = f"v{i}"
        columns += [f"min({v}), max({v}), count({v}), min({v}) FILTER (WHERE {v} > 0)"]
        for _, t in thresholds:
            columns += [
                f"count(*) FILTER (WHERE abs({v} - ?) <= 0.1 * abs(?)), "
                f"count(*) FILTER (WHERE {v} < ?), count(*) FILTER (WHERE {v} > ?)"
            ]
            params += [t, t, t, t]
    row = list(con.execute(f"SELECT {', '.join(columns)} FROM ({clips})", params).fetchone())
    q995 = _quantiles(con, values, row, wanted, quantile_sample)
    out, binned = [], []
    for i, (score, thresholds) in enumerate(wanted):
        lo, hi, n, positive_lo = row[:4]
        marks = []
        for k, (key, t) in enumerate(thresholds):
            near, below, above = row[4 + 3 * k : 7 + 3 * k]
            marks.append({"key": key, "value": t, "near": near, "below": below, "above": above})
        del row[: 4 + 3 * len(thresholds)]
        if not n:
            out.append(None)
            continue
        edges, log, overflow, index = _bins(
            score, f"v{i}", lo, hi, positive_lo, q995[i], thresholds, bins
        )
        out.append(
            {
                "score": score,
                "edges": edges,
                "kept": [0] * bins,
                "dropped": [0] * bins,
                "count": n,
                "min": lo,
                "max": hi,
                "log": log,
                "overflow": overflow,
                "thresholds": marks,
            }
        )
        # (greatest and least skip NULLs: the CASE keeps a clip without a value out)
        b = f"CASE WHEN v{i} IS NOT NULL THEN least({bins - 1}, greatest(0, {index}))::INT END"
        binned.append(f"{{'i': {i}, 'b': {b}}}")
    if binned:
        # every score's bin of a clip in one scan: (i, b) pairs unnested, NULL values skipped
        rows = con.execute(
            f"SELECT x.i, x.b, kept, count(*) FROM (SELECT kept, unnest([{', '.join(binned)}]) "
            f"AS x FROM ({clips})) WHERE x.b IS NOT NULL GROUP BY ALL"
        ).fetchall()
        for i, b, is_kept, count in rows:
            out[i]["kept" if is_kept else "dropped"][b] += count
    return out


def _quantiles(con, values: str, row: list, wanted: list, sample: int) -> list[float | None]:
    """Each score's 99.5th percentile over a deterministic sample of about `sample` of its
    clips (all of them when it has no more): a clip is in when the hash of its id is below
    sample / count of the range, so the values held do not grow with the corpus."""
    picked, at = [], 0
    for i, (_, thresholds) in enumerate(wanted):
        n = row[at + 2]
        at += 4 + 3 * len(thresholds)
        keep = "" if n <= sample else f" FILTER (WHERE h < {sample * 2**64 // n}::UBIGINT)"
        picked.append(f"quantile_cont(v{i}, 0.995){keep}")
    return list(
        con.execute(
            f"SELECT {', '.join(picked)} FROM (SELECT {values}, hash(clip_id) AS h FROM manifest "
            "WHERE scene_index IS NOT NULL)"
        ).fetchone()
    )


def _bins(score: Score, v: str, lo, hi, positive_lo, q995, thresholds, bins: int) -> tuple:
    """(bin edges, log scale, the upper end past which values count in the last bar or None,
    the SQL of column `v`'s bin) of a score whose values span lo..hi: the bins span the
    thresholds too, on a log scale over the positive values where the score asks."""
    log = score.log and positive_lo is not None and hi > positive_lo
    if log:
        lo = positive_lo
    overflow = None
    if not log and q995 is not None and hi - lo > 3 * (q995 - lo) > 0:
        # a long tail would squash the histogram: the last bar also counts values beyond
        hi = overflow = q995
    # the bins span the thresholds too, so a line and the clips around it are on one axis
    for _, t in thresholds:
        if not log or t > 0:
            lo, hi = min(lo, t), max(hi, t)
    if overflow is not None:
        overflow = hi
    if log:
        edges = [lo * (hi / lo) ** (i / bins) for i in range(bins + 1)]
        index = f"floor((ln(greatest({v}, {lo!r})) - ln({lo!r})) / {math.log(hi / lo) / bins!r})"
    else:
        if hi <= lo:
            lo, hi = lo - 0.5, hi + 0.5
        edges = [lo + (hi - lo) * i / bins for i in range(bins + 1)]
        index = f"floor(({v} - {lo!r}) / {(hi - lo) / bins!r})"
    return edges, log, overflow, index


def counts(con, sql: str, params: list | None = None) -> list[tuple]:
    return con.execute(sql, params or []).fetchall()


def _sample_columns(known: dict[str, str]) -> str:
    return ", ".join(f'"{c}"' for c in known if c not in _HEAVY)


def strip_samples(con, known: dict[str, str], per_reason: int, kept: int) -> dict[str, list]:
    """reason -> up to `per_reason` dropped clips (first ids), and 'kept' -> `kept` kept clips:
    `transforms.strips.pick_examples` over the whole manifest, in SQL (the write stage stored
    strips for each group's picks by that function, so every clip picked here has one)."""
    cols = _sample_columns(known)
    # pick (reason, clip_id) pairs on two columns first (a heap of `per_reason` ids per
    # reason), then fetch the few rows picked: a semi-join on the picked ids (a join could
    # build its hash table on the manifest's side)
    picked = con.execute(
        """
        SELECT reason, min(clip_id, greatest(?, 1))[1:?]
        FROM (SELECT unnest(drop_reasons) AS reason, clip_id FROM manifest)
        GROUP BY reason ORDER BY reason
        """,
        [per_reason, per_reason],
    ).fetchall()
    by_id = _rows_by_id(con, cols, sorted({i for _, ids in picked for i in ids}))
    samples = {reason: [dict(by_id[i]) for i in ids if i in by_id] for reason, ids in picked if ids}
    cursor = con.execute(
        f"SELECT {cols} FROM manifest WHERE status = 'kept' ORDER BY clip_id LIMIT ?", [kept]
    )
    names = [d[0] for d in cursor.description]
    samples["kept"] = [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]
    return samples


def _rows_by_id(con, cols: str, ids: list[str]) -> dict[str, dict]:
    """clip_id -> the manifest row's `cols`, for a few ids."""
    if not ids:
        return {}
    cursor = con.execute(
        f"SELECT {cols} FROM manifest WHERE clip_id IN (SELECT unnest(?::VARCHAR[]))", [ids]
    )
    names = [d[0] for d in cursor.description]
    rows = [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]
    return {row["clip_id"]: row for row in rows}


def caption_pairs(con, known: dict[str, str], limit: int) -> dict:
    if "caption_status" not in known:
        return {"status": [], "issues": [], "pairs": []}
    status = counts(
        con, "SELECT coalesce(caption_status, 'none'), count(*) FROM manifest "
        "WHERE scene_index IS NOT NULL GROUP BY 1 ORDER BY 2 DESC, 1"
    )  # fmt: skip
    issues = counts(
        con, "SELECT i, count(*) FROM (SELECT unnest(caption_issues) AS i FROM manifest) "
        "GROUP BY 1 ORDER BY 2 DESC, 1"
    )  # fmt: skip
    # failing pairs first (they are what a person tunes QA on), then passing ones, by id
    pairs = counts(
        con, "SELECT clip_id, source, caption_en, caption_zh, caption_ok, caption_issues, "
        "caption_status FROM manifest WHERE caption_en IS NOT NULL OR caption_zh IS NOT NULL "
        "ORDER BY caption_ok NULLS FIRST, clip_id LIMIT ?", [limit],
    )  # fmt: skip
    return {"status": status, "issues": issues, "pairs": pairs}


def duplicate_groups(
    con, known: dict[str, str], limit: int, rows_per_pass: int, members: int = 8
) -> dict:
    if "dup_group" not in known:
        return {"groups": 0, "clips": 0, "shown": []}
    # groups counted and the largest picked in passes by hash of group (each pass's first
    # `limit`, then the first of those)
    k = passes(con, "manifest", rows_per_pass, "dup_group IS NOT NULL")
    total_groups = total_clips = 0
    largest = []
    for where in slices("dup_group", k):
        groups, clips = con.execute(
            f"SELECT count(DISTINCT dup_group), count(*) FROM manifest "
            f"WHERE dup_group IS NOT NULL AND {where}"
        ).fetchone()
        total_groups, total_clips = total_groups + groups, total_clips + clips
        largest += counts(
            con,
            f"SELECT dup_group, count(*) AS size FROM manifest "
            f"WHERE dup_group IS NOT NULL AND {where} GROUP BY 1 ORDER BY size DESC, dup_group "
            "LIMIT ?",
            [limit],
        )
    largest = sorted(largest, key=lambda g: (-g[1], g[0]))[:limit]
    # a heap of `members` per group shown: survivor first, then by id
    picked = {}
    if largest:
        picked = dict(
            counts(
                con,
                """
                SELECT dup_group,
                       min_by({'clip_id': clip_id, 'source': source, 'start_s': start_s,
                               'end_s': end_s, 'status': status, 'duplicate_of': duplicate_of},
                              (clip_id <> dup_group, clip_id), ?)
                FROM manifest WHERE dup_group IN (SELECT unnest(?::VARCHAR[])) GROUP BY 1
                """,
                [members, [g for g, _ in largest]],
            )
        )
    shown = [
        {
            "group": group,
            "size": size,
            "members": [[*m.values(), m["clip_id"] == group] for m in picked[group]],
        }
        for group, size in largest
    ]
    caption_dups = 0
    if "caption_duplicate_of" in known:
        caption_dups = con.execute(
            "SELECT count(*) FROM manifest WHERE caption_duplicate_of IS NOT NULL"
        ).fetchone()[0]
    return {
        "groups": total_groups,
        "clips": total_clips,
        "shown": shown,
        "caption_duplicates": caption_dups,
    }


def failure_groups(con, examples: int) -> list[tuple]:
    """(stage, error, count, [(source, detail)...]) per kind of failure, largest first: the
    examples are the first sources (a heap of `examples` per kind)."""
    return counts(
        con,
        """
        SELECT stage, error, count(*) AS n,
               min([source, left(detail, 300)], greatest(?, 1))[1:?] AS examples
        FROM failures GROUP BY stage, error ORDER BY n DESC, stage, error
        """,
        [examples, examples],
    )


def per_source(con, limit: int, rows_per_pass: int) -> tuple[int, list[tuple]]:
    """Sources in the manifest, and the `limit` with most clips (in passes by hash of source:
    each pass's first `limit`, then the first of those)."""
    total, rows = 0, []
    for where in slices("source", passes(con, "manifest", rows_per_pass)):
        total += con.execute(
            f"SELECT count(DISTINCT source) FROM manifest WHERE {where}"
        ).fetchone()[0]
        rows += counts(
            con,
            f"""
            SELECT source, count(*) FILTER (WHERE status = 'kept') AS kept,
                   count(*) FILTER (WHERE status = 'dropped') AS dropped,
                   any_value(source_duration_s) AS duration_s,
                   coalesce(sum(duration_s) FILTER (WHERE status = 'kept'), 0) AS kept_s
            FROM manifest WHERE {where}
            GROUP BY source ORDER BY dropped + kept DESC, source LIMIT ?
            """,
            [limit],
        )
    # UTF-8 byte order (DuckDB's) is code point order (Python's)
    return total, sorted(rows, key=lambda r: (-(r[1] + r[2]), r[0]))[:limit]
