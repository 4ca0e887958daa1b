"""Dedup on real video: near-duplicate groups, exact copies, determinism across runner modes,
refreshes against a previous corpus, the per-source cap, caption MinHash, and the LSH step."""

import dataclasses
import random
from pathlib import Path

import apache_beam as beam
import pytest
from apache_beam.testing.test_pipeline import TestPipeline
from apache_beam.testing.util import assert_that, equal_to

from pipelines.cli import main
from schemas import Clip, SampledClip
from tests.conftest import TESTDATA, read_rows, table_bytes
from transforms import signatures as sig
from transforms.dedup import (
    DUPLICATES,
    DedupClips,
    DedupConfig,
    Edge,
    Entry,
    candidate_pairs,
    connected_groups,
    entry_for_clip,
    rank,
    resolve,
    sign_clip,
    visual_keys,
    visual_match,
)
from transforms.probe import probe_file
from transforms.scenes import analyze_video, build_clips

DEDUP = TESTDATA / "synthetic" / "dedup"
REAL = TESTDATA / "real"
# Every synthetic file must yield a clip: A_half is 320x180, under the default gate.
EVERY_FILE = ["--set", "gate.min_short_side=null"]


def run(out: Path, inputs, *extra: str) -> Path:
    assert main(["run", *map(str, inputs), "--out", str(out), *EVERY_FILE, *extra]) == 0
    return out


def manifest(out: Path) -> list[dict]:
    return read_rows(out)


def by_name(rows) -> dict[str, list[dict]]:
    named: dict[str, list[dict]] = {}
    for r in rows:
        named.setdefault(Path(r["source"]).name, []).append(r)
    return named


@pytest.fixture(scope="module")
def out(tmp_path_factory) -> Path:
    return run(tmp_path_factory.mktemp("dedup") / "out", [DEDUP])


def test_every_group_keeps_exactly_one_clip(out, truth):
    rows = by_name(manifest(out))
    group_of = {}
    for index, group in enumerate(truth["dedup"]["groups"]):
        kept = [r for name in group for r in rows[name] if r["status"] == "kept"]
        assert len(kept) == 1, (group, [r["source"] for r in kept])
        for name in group:
            for r in rows[name]:
                group_of[r["clip_id"]] = index
                assert r["status"] == "kept" or r["drop_reasons"] == ["duplicate"], r
                if r["duplicate_of"]:  # near-duplicates point at their group's kept clip
                    assert r["duplicate_of"] == kept[0]["clip_id"]
                    assert r["dup_group"] == kept[0]["clip_id"]
    # No clip merged across groups: a dup_group never spans two truth groups.
    for r in manifest(out):
        if r["dup_group"]:
            assert group_of[r["clip_id"]] == group_of[r["dup_group"]], r["source"]
    for (name,) in (g for g in truth["dedup"]["groups"] if len(g) == 1):
        (row,) = rows[name]
        assert row["status"] == "kept" and row["dup_group"] is None, name


def test_exact_pair_caught_as_exact(out, truth):
    rows = by_name(manifest(out))
    for original, copy in truth["dedup"]["exact"]:
        (row,) = rows[copy]
        assert row["scene_index"] is None and row["drop_reasons"] == ["duplicate"]
        assert row["note"] == f"byte-identical to {rows[original][0]['source']}"
        assert row["duplicate_of"] is None and row["phash"] is None


def test_signatures_are_stored_in_the_manifest(out):
    for r in manifest(out):
        if r["status"] == "kept":
            assert len(r["phash"]) == len(r["phash_center"]) >= 10
            assert all(isinstance(h, int) and -(2**63) <= h < 2**63 for h in r["phash"])


def test_multi_processing_keeps_the_same_survivors(out, tmp_path):
    multi = run(
        tmp_path / "multi",
        [DEDUP],
        "--direct_running_mode=multi_processing",
        "--direct_num_workers=2",
    )
    assert table_bytes(multi) == table_bytes(out)


def test_previous_corpus_wins_over_new_copies(tmp_path):
    old = run(tmp_path / "old", [DEDUP / "A_half.mp4", DEDUP / "C.mp4"])
    (published,) = [r for r in manifest(old) if "A_half" in r["source"]]
    assert published["status"] == "kept"
    # A.mp4 outranks A_half (higher resolution) but A_half is already published.
    new = run(
        tmp_path / "new",
        [DEDUP / "A.mp4", DEDUP / "A_logo.mp4", DEDUP / "E.mp4", DEDUP / "C.mp4"],
        "--previous",
        str(old),
    )
    rows = by_name(manifest(new))
    for name in ("A.mp4", "A_logo.mp4", "C.mp4"):
        (row,) = rows[name]
        assert row["drop_reasons"] == ["duplicate"], name
    assert rows["A.mp4"][0]["duplicate_of"] == published["clip_id"]
    assert rows["A_logo.mp4"][0]["duplicate_of"] == published["clip_id"]
    # The same file again: the very same clip id, already published.
    assert rows["C.mp4"][0]["duplicate_of"] == rows["C.mp4"][0]["clip_id"]
    assert rows["E.mp4"][0]["status"] == "kept"
    assert [r["source"] for r in manifest(new) if r["status"] == "kept"] == [
        rows["E.mp4"][0]["source"]
    ]


def test_per_source_cap_keeps_the_best(tmp_path):
    video = TESTDATA / "synthetic/cuts/hard_cuts.mp4"
    out = run(tmp_path / "cap", [video], "--set", "dedup.per_source_cap=2")
    clips = [r for r in manifest(out) if r["scene_index"] is not None]
    # clips that passed every check before the cap (the quality stage drops some scenes)
    candidates = [r for r in clips if set(r["drop_reasons"]) <= {"source_cap"}]
    assert len(candidates) > 2
    kept = [r for r in clips if r["status"] == "kept"]
    capped = [r for r in clips if r["drop_reasons"] == ["source_cap"]]
    assert len(kept) == 2 and len(capped) == len(candidates) - 2
    assert min(r["duration_s"] for r in kept) >= max(r["duration_s"] for r in capped)


def test_real_near_duplicates_and_negatives(config):
    """carphone pristine vs distorted (heavy compression) merge; two segments of Big Buck Bunny
    (same film, different shots) and the clips of other real videos do not."""
    dedup = config.dedup
    entries = {}
    for name in (
        "carphone_pristine.mp4",
        "carphone_distorted.mp4",
        "bigbuckbunny.mp4",
        "big_buck_bunny_0_30.webm",
        "chaplin.mp4",
        "video_with_failing_audio.mp4",
    ):
        path = str(REAL / name)
        info = probe_file(path, path, config.probe)
        analysis = analyze_video(path, info, config.scenes)
        for i, sampled in enumerate(build_clips(info, analysis, config.scenes, config.clips)):
            if sampled.clip.kept:
                entries[f"{name}#{i}"] = entry_for_clip(sign_clip(sampled, dedup).clip, dedup)
    matches = {
        tuple(sorted((a, b)))
        for a in entries
        for b in entries
        if a < b and visual_match(entries[a], entries[b], dedup)
    }
    assert matches == {("carphone_distorted.mp4#0", "carphone_pristine.mp4#0")}
    # ... and LSH makes that pair a candidate.
    nodes = {e.node: name for name, e in entries.items()}
    found = candidate_pairs(entries.values(), lambda e: visual_keys(e, dedup), dedup.max_bucket)
    assert ("carphone_distorted.mp4#0", "carphone_pristine.mp4#0") in {
        tuple(sorted((nodes[a], nodes[b]))) for a, b in found
    }


# ---- captions and embeddings on hand-written clips -------------------------------------------


def clip(clip_id: str, en: str | None = None, zh: str | None = None, **kw) -> SampledClip:
    base = dict(
        clip_id=clip_id,
        source=f"{clip_id}.mp4",
        source_sha256=clip_id,
        scene_index=0,
        scene_start_s=0.0,
        scene_end_s=4.0,
        start_s=0.0,
        end_s=4.0,
        duration_s=4.0,
        width=640,
        height=360,
        fps=30.0,
        source_duration_s=4.0,
    )
    return SampledClip(clip=Clip(**{**base, **kw}, caption_en=en, caption_zh=zh))


CAPTIONED = [
    clip(
        "a1",
        "A red car drives along a coastal road at sunset, waves crashing on the rocks below.",
        "日落时分，一辆红色汽车沿着海滨公路行驶，海浪拍打着下方的岩石。",
    ),
    clip(  # the template again, one word changed
        "a2",
        "A red car drives along a coastal road at sunset, waves crashing on the rocks beneath.",
        "日落时分，一辆红色汽车沿着海滨公路行驶，海浪拍打着下方的岩石。",
    ),
    clip(  # Chinese only, two sentences, one character added
        "b1",
        None,
        "一只橘色的猫在阳光明媚的窗台上慢慢地伸懒腰，然后跳到地板上。"
        "它走向厨房，在白色的碗里喝水，尾巴轻轻摆动。",
    ),
    clip(
        "b2",
        None,
        "一只橘色的猫在阳光明媚的窗台上慢慢地伸懒腰，然后跳到了地板上。"
        "它走向厨房，在白色的碗里喝水，尾巴轻轻摆动。",
    ),
    clip(  # the same template, other content: not a repeat
        "d1",
        "A blue truck drives along a mountain road at noon, snow falling on the pines above.",
        "中午，一辆蓝色卡车沿着山路行驶，雪花落在上方的松树上。",
    ),
    clip(
        "c1",
        "Two children build a sandcastle on a crowded beach while seagulls circle overhead.",
        "两个孩子在拥挤的海滩上堆沙堡，海鸥在头顶盘旋。",
    ),
]


def run_dedup(clips, config: DedupConfig, kept: list, dropped: list) -> None:
    with TestPipeline() as p:
        result = p | beam.Create(clips) | DedupClips(config)
        assert_that(
            result.clips
            | "Kept" >> beam.Map(lambda s: (s.clip.clip_id, s.clip.caption_duplicate_of)),
            equal_to(kept),
            label="kept",
        )
        assert_that(
            result[DUPLICATES]
            | beam.Map(lambda c: (c.clip_id, tuple(c.drop_reasons), c.caption_duplicate_of)),
            equal_to(dropped),
            label="dropped",
        )


def test_caption_duplicates_dropped():
    run_dedup(
        CAPTIONED,
        DedupConfig(caption_mode="drop"),
        kept=[("a1", None), ("b1", None), ("c1", None), ("d1", None)],
        dropped=[("a2", ("caption_duplicate",), "a1"), ("b2", ("caption_duplicate",), "b1")],
    )


def test_caption_duplicates_flagged():
    run_dedup(
        CAPTIONED,
        DedupConfig(caption_mode="flag"),
        kept=[("a1", None), ("a2", "a1"), ("b1", None), ("b2", "b1"), ("c1", None), ("d1", None)],
        dropped=[],
    )


def test_caption_winner_follows_the_total_order():
    """A higher-resolution repeat keeps its clip; the other one is dropped."""
    sharper = dataclasses.replace(CAPTIONED[1].clip, width=1280, height=720)
    run_dedup(
        [CAPTIONED[0], dataclasses.replace(CAPTIONED[1], clip=sharper)],
        DedupConfig(caption_mode="drop"),
        kept=[("a2", None)],
        dropped=[("a1", ("caption_duplicate",), "a2")],
    )


def test_embedding_verifies_pairs():
    config = DedupConfig()
    hashes = [random.Random(i).getrandbits(64) - 2**63 for i in range(6)]

    def entry(clip_id, embedding):
        sampled = clip(clip_id, image_embedding=embedding, phash=hashes, phash_center=hashes)
        return entry_for_clip(sampled.clip, config)

    same, near, other = (
        entry("x", [1.0, 0.0, 0.0]),
        entry("y", [0.98, 0.2, 0.0]),
        entry("z", [0.6, 0.8, 0.0]),
    )
    assert near.embedding == (0.98, 0.2, 0.0)
    assert visual_match(same, near, config)  # cosine 0.98
    assert not visual_match(same, other, config)  # identical frames, cosine 0.6
    assert visual_match(same, other, dataclasses.replace(config, min_cosine=None))


# ---- LSH candidates, verification, groups ----------------------------------------------------


def flip(value: int, n: int, rng: random.Random) -> int:
    for bit in rng.sample(range(64), n):
        value ^= 1 << bit
    return sig.to_int64(value & (2**64 - 1))


def synthetic_entry(name: str, hashes: list[int]) -> Entry:
    return Entry(
        name, name, False, rank(False, None, 1, 1, 1.0, name), tuple(hashes), tuple(hashes)
    )


def test_lsh_finds_near_duplicates_and_skips_random_pairs():
    config = DedupConfig()
    rng = random.Random(7)
    entries, truth = [], set()
    for family in range(30):
        base = [rng.getrandbits(64) for _ in range(12)]
        members = [f"f{family}m{m}" for m in range(3)]
        for name in members:
            entries.append(synthetic_entry(name, [flip(h, rng.randint(0, 2), rng) for h in base]))
        truth |= {(a, b) for a in members for b in members if a < b}
    for i in range(200):
        entries.append(synthetic_entry(f"r{i}", [flip(rng.getrandbits(64), 0, rng)] * 12))
    pairs = candidate_pairs(entries, lambda e: visual_keys(e, config), config.max_bucket)
    assert pairs == truth
    by = {e.clip_id: e for e in entries}
    assert all(visual_match(by[a], by[b], config) for a, b in pairs)


def test_band_keys_are_stable_and_cover_flips():
    h = sig.to_int64(0x0123456789ABCDEF)
    keys = sig.frame_band_keys([h], 6, 32, 1)
    assert keys == sig.frame_band_keys([h], 6, 32, 1) and len(keys) == 6
    one_bit = sig.frame_band_keys([sig.to_int64(0x0123456789ABCDEF ^ 1)], 6, 32, 1)
    assert len(keys & one_bit) >= 1  # bit 0 is left out of some band


def test_oversized_bucket_is_chained():
    assert sig.bucket_pairs(["c", "a", "b"], 10) == [("a", "b"), ("a", "c"), ("b", "c")]
    assert sig.bucket_pairs(["c", "a", "b", "d"], 3) == [("a", "b"), ("b", "c"), ("c", "d")]


def test_time_offset_matching():
    rng = random.Random(3)
    frames = [rng.getrandbits(64) - 2**63 for _ in range(12)]
    trimmed = frames[1:]  # a 0.5 s trim: the same frames, one sample earlier
    d = sig.frame_distances(frames, frames, trimmed, trimmed)
    assert sig.matched_frames(d, 8, 0) == 11
    assert (d.diagonal() > 8).sum() >= 10  # position-by-position comparison would miss it


def test_a_held_still_frame_matches_once():
    """A take-off ending on a still frame vs that still frame held: few frames in common,
    however many times the still frame repeats (counted on both clips, either order)."""
    rng = random.Random(5)
    still = rng.getrandbits(64) - 2**63
    takeoff = [rng.getrandbits(64) - 2**63 for _ in range(6)] + [still] * 3
    held = [still] * 9
    d = sig.frame_distances(takeoff, takeoff, held, held)
    assert sig.matched_frames(d, 8, 1) == sig.matched_frames(d.T, 8, 1) == 3


def test_groups_and_winners():
    assert connected_groups([("b", "c"), ("a", "b"), ("x", "y")]) == [["a", "b", "c"], ["x", "y"]]
    r = {n: rank(n.startswith("previous:"), None, 10, 10, 1.0, n) for n in ("a", "b", "previous:z")}
    decisions = resolve(
        [Edge("a", r["a"], "b", r["b"]), Edge("b", r["b"], "previous:z", r["previous:z"])], [], None
    )
    assert decisions["a"].duplicate_of == "z" and decisions["b"].duplicate_of == "z"
    assert "previous:z" not in decisions


def test_previous_without_manifest_is_refused(tmp_path):
    with pytest.raises(SystemExit, match=r"no manifest there"):
        main(["run", str(DEDUP / "E.mp4"), "--out", str(tmp_path / "o"), "--previous", "/nope"])
