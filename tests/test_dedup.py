"""Dedup on real video: near-duplicate groups, exact copies, determinism across runner modes,
refreshes against a previous corpus (stored signatures, or an old manifest), the per-source cap,
caption MinHash, the LSH step with crowded buckets, and groups by label propagation."""

import dataclasses
import json
import random
import shutil
from pathlib import Path

import apache_beam as beam
import pyarrow.parquet as pq
import pytest
from apache_beam.testing.test_pipeline import TestPipeline
from apache_beam.testing.util import assert_that, equal_to

from pipelines.cli import main
from schemas import Clip, SampledClip
from tests.conftest import TESTDATA, make_video, read_rows, table_bytes
from transforms import signatures as sig
from transforms.dedup import (
    DUPLICATES,
    SIGNATURES,
    DedupClips,
    DedupConfig,
    LabelComponents,
    sign_clip,
)
from transforms.dedup_candidates import (
    Entry,
    bucket_pairs,
    candidate_pairs,
    entry_for_clip,
    visual_keys,
    visual_match,
)
from transforms.dedup_previous import (
    SIGNATURE_SCHEMA,
    find_previous,
    read_entries,
)
from transforms.dedup_resolve import (
    Edge,
    connected_groups,
    hash_min_labels,
    rank,
    visual_decision,
)
from transforms.encode import THUMBNAIL_PICK, middle_sample
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
    rows = read_rows(out)
    return sorted(rows, key=lambda r: (r["source"], r["start_s"] or 0, r["clip_id"]))


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
                if r["scene_index"] is None:  # a whole-file copy names the file it copies
                    assert r["duplicate_of"] in {x["source"] for n in group for x in rows[n]}
                elif r["duplicate_of"]:  # near-duplicates point at their group's kept clip
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
        # a whole-file duplicate names the file it copies
        assert row["duplicate_of"] == rows[original][0]["source"] and row["phash"] is None


def test_signatures_are_stored_in_the_manifest(out):
    for r in manifest(out):
        if r["status"] == "kept":
            assert len(r["phash"]) == len(r["phash_center"]) >= 10
            assert all(isinstance(h, int) and -(2**63) <= h < 2**63 for h in r["phash"])


def test_signatures_are_stored_for_published_clips(out):
    files = sorted((out / "signatures").glob("*.parquet"))
    assert files and all(pq.read_schema(f).equals(SIGNATURE_SCHEMA) for f in files)
    stored = {r["clip_id"]: r for f in files for r in pq.read_table(f).to_pylist()}
    kept = {r["clip_id"]: r for r in manifest(out) if r["status"] == "kept"}
    assert set(stored) == set(kept)
    for clip_id, r in stored.items():
        assert r["phash"] == kept[clip_id]["phash"] and r["width"] == kept[clip_id]["width"]


def test_each_pass_counts_each_clip_once(out):
    counters = json.loads((out / "stats.json").read_text())["counters"]
    rows = manifest(out)
    near = [r for r in rows if r["drop_reasons"] == ["duplicate"] and r["scene_index"] is not None]
    kept = [r for r in rows if r["status"] == "kept"]
    video, caption = counters["dedup_video"], counters["dedup_caption"]
    assert video["total"] == len(kept) + len(near) == video["kept"] + video["dropped.duplicate"]
    assert video["dropped.duplicate"] == len(near) > 0
    assert video["pairs.visual.verified"] >= len(near)
    assert video.get("components.visual.unsettled", 0) == 0  # every group settled
    assert caption["total"] == caption["kept"] == len(kept)
    assert "dedup" not in counters
    exact = counters["dedup_source"]
    assert exact["dropped.duplicate"] == exact["total"] - exact["kept"] == 1


def test_multi_processing_keeps_the_same_survivors(out, tmp_path):
    multi = run(
        tmp_path / "multi",
        [DEDUP],
        "--direct_running_mode=multi_processing",
        "--direct_num_workers=2",
    )
    assert table_bytes(multi) == table_bytes(out)


@pytest.fixture(scope="module")
def published(tmp_path_factory) -> Path:
    return run(
        tmp_path_factory.mktemp("published") / "old", [DEDUP / "A_half.mp4", DEDUP / "C.mp4"]
    )


@pytest.mark.parametrize("stored", [True, False], ids=["signatures", "old_manifest_only"])
def test_previous_corpus_wins_over_new_copies(tmp_path, published, stored):
    old = shutil.copytree(published, tmp_path / "old")
    if not stored:  # a corpus written before signatures were stored: its manifest's columns
        shutil.rmtree(old / "signatures")
    corpus = find_previous(str(old))
    assert corpus.kind == ("signatures" if stored else "manifest")
    # the video pass reads the rank and pHash columns only: no captions, scores or media
    columns = set(corpus.columns_for(DedupConfig(), visual=True, caption=False))
    assert {"clip_id", "phash", "phash_center", "width", "duration_s"} <= columns
    assert columns.isdisjoint({"caption_en", "caption_minhash", "ocr_text", "source", "shard"})
    assert len(columns) <= 11
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


OCR_COLUMNS = ("text_area_frac", "text_area_fracs", "subtitle_width_fracs", "ocr_text")


def test_a_repeated_shot_is_ocr_d_once_with_the_same_results(tmp_path):
    """A source that shows a shot twice (as the bench input repeats its shots): OCR reads the
    better copy only (ocr.skip_duplicates) and the run keeps the same clips with the same rows,
    the copy dropped as the same duplicate, only its OCR columns null; each stage counts each
    clip once."""
    scale = "scale=640:360,setsar=1,fps=25,format=yuv420p"
    shot = "trim=0:3,setpts=PTS-STARTPTS," + scale
    video = make_video(
        tmp_path / "repeated.mp4",
        *("-i", str(REAL / "bigbuckbunny.mp4"), "-i", str(REAL / "cockatoo.mp4")),
        *("-i", str(REAL / "bigbuckbunny.mp4")),
        "-filter_complex",
        f"[0:v]{shot}[a];[1:v]{shot}[b];[2:v]{shot}[c];[a][b][c]concat=n=3:v=1[v]",
        *("-map", "[v]", "-c:v", "libx264", "-crf", "18", "-g", "25"),
    )
    runs = {}
    for skip in ("true", "false"):
        out = run(tmp_path / skip, [video], "--set", f"ocr.skip_duplicates={skip}")
        counters = json.loads((out / "stats.json").read_text())["counters"]
        runs[skip] = ({r["clip_id"]: r for r in read_rows(out)}, counters)
    (skipping, skip_counters), (every, every_counters) = runs["true"], runs["false"]
    assert skipping.keys() == every.keys()
    copies = [i for i, r in every.items() if r["drop_reasons"] == ["duplicate"]]
    assert len(copies) == 1 and every[copies[0]]["text_area_fracs"]
    for clip_id, row in every.items():
        differs = {k for k in row if row[k] != skipping[clip_id][k]}
        assert differs <= (
            {"text_area_frac", "text_area_fracs", "subtitle_width_fracs"}
            if clip_id in copies
            else set()
        ), clip_id
    assert all(skipping[copies[0]][k] is None for k in OCR_COLUMNS)
    score, video = skip_counters["score"], skip_counters["dedup_video"]
    assert (
        score["ocr_skipped_duplicate"] == 1
        and "ocr_skipped_duplicate" not in every_counters["score"]
    )
    assert score["ocr_frames"] < every_counters["score"]["ocr_frames"]
    assert (
        score["total"]
        == every_counters["score"]["total"]
        == score["kept"] + sum(n for k, n in score.items() if k.startswith("dropped."))
    )
    assert video == every_counters["dedup_video"]


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
    found = candidate_pairs(
        entries.values(), lambda e: visual_keys(e, dedup), dedup.max_bucket, dedup.max_hamming
    )
    assert ("carphone_distorted.mp4#0", "carphone_pristine.mp4#0") in {
        tuple(sorted((nodes[a], nodes[b]))) for a, b in found
    }


def test_uninformative_frames_form_no_signature(tmp_path):
    """Black, flat grey, a faint noise and a smooth gradient: no frame hash, so no bucket key;
    one frame of real content does hash."""
    import cv2
    import numpy as np

    rng = np.random.default_rng(0)
    ramp = np.tile(np.linspace(0, 255, 320, dtype=np.float32), (180, 1))
    frames = {
        "black": np.zeros((180, 320), np.uint8),
        "grey": np.full((180, 320), 128, np.uint8),
        "faint_noise": (128 + rng.normal(0, 1.5, (180, 320))).clip(0, 255).astype(np.uint8),
        "gradient": ramp.astype(np.uint8),
    }
    jpgs = {name: cv2.imencode(".jpg", f)[1].tobytes() for name, f in frames.items()}
    for name, jpg in jpgs.items():
        assert sig.frame_hashes([jpg] * 4, 5.0) == ([], []), name
    import av

    with av.open(str(REAL / "bikes.mp4")) as container:
        real = next(container.decode(video=0)).to_ndarray(format="gray")
    jpg = cv2.imencode(".jpg", real)[1].tobytes()
    full, center = sig.frame_hashes([jpg, *jpgs.values()], 5.0)
    assert len(full) == len(center) == 1 and sig.informative(full[0])
    entry = synthetic_entry("flat", [sig.to_int64(0)] * 8)
    assert visual_keys(entry, DedupConfig()) == {}  # an all-zero hash (old manifests) is no key


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


def test_a_clip_signed_before_its_frames_are_dropped_keeps_its_signature():
    """The pipeline signs each clip before its checkpoint, then keeps only the frames a later
    stage reads (`SampledClip.keeping`): the dedup pass keeps that signature, and the thumbnail
    and the captioner's frames are the ones the full clip gives."""
    import av
    import cv2

    with av.open(str(REAL / "bikes.mp4")) as container:
        decoded = [f.to_ndarray(format="bgr24") for f in container.decode(video=0)]
    frames = tuple(cv2.imencode(".jpg", f)[1].tobytes() for f in decoded[: 12 * 15 : 15])
    sampled = dataclasses.replace(clip("b1"), frame_times_s=tuple(range(12)), frames_jpg=frames)
    config = DedupConfig()
    signed = sign_clip(sampled, config)
    assert signed.clip.phash and signed.clip.phash_center
    slim = signed.keeping(THUMBNAIL_PICK, 4)
    assert len(slim.frames_jpg) == 12 and sum(map(bool, slim.frames_jpg)) == 5  # 6 is both's
    assert sign_clip(slim, config) == slim  # not signed again from what is left
    assert middle_sample(slim) == middle_sample(sampled)
    assert [slim.frames_jpg[i] for i in slim.pick(4)] == [frames[i] for i in sampled.pick(4)]
    assert sign_clip(sampled.keeping(), config) == sampled.keeping()  # no frame: as it came


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
        assert_that(
            result[SIGNATURES] | beam.Map(lambda row: row["clip_id"]),
            equal_to([clip_id for clip_id, _ in kept]),
            label="signatures",
        )


def test_a_clip_left_unscanned_is_never_kept():
    """OCR leaves a clip unscanned only when a better clip of its source is a verified pair with
    it (ocr.skip_duplicates), and marks it with that clip: where the pass misses the pair (its
    buckets crowded across the corpus), the clip is dropped as that clip's duplicate, not kept."""
    config = DedupConfig(caption_mode=None)
    settled = clip("x1", duplicate_of="x0")
    run_dedup([settled, clip("y1")], config, [("y1", None)], [("x1", ("duplicate",), None)])


def test_caption_duplicates_dropped():
    run_dedup(
        CAPTIONED,
        DedupConfig(caption_mode="drop").caption_pass(),
        kept=[("a1", None), ("b1", None), ("c1", None), ("d1", None)],
        dropped=[("a2", ("caption_duplicate",), "a1"), ("b2", ("caption_duplicate",), "b1")],
    )


def test_caption_duplicates_flagged():
    run_dedup(
        CAPTIONED,
        DedupConfig(caption_mode="flag").caption_pass(),
        kept=[("a1", None), ("a2", "a1"), ("b1", None), ("b2", "b1"), ("c1", None), ("d1", None)],
        dropped=[],
    )


def test_caption_winner_follows_the_total_order():
    """A higher-resolution repeat keeps its clip; the other one is dropped."""
    sharper = dataclasses.replace(CAPTIONED[1].clip, width=1280, height=720)
    run_dedup(
        [CAPTIONED[0], dataclasses.replace(CAPTIONED[1], clip=sharper)],
        DedupConfig(caption_mode="drop").caption_pass(),
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
    pairs = candidate_pairs(
        entries, lambda e: visual_keys(e, config), config.max_bucket, config.max_hamming
    )
    assert pairs == truth
    by = {e.clip_id: e for e in entries}
    assert all(visual_match(by[a], by[b], config) for a, b in pairs)


def test_band_keys_are_stable_and_cover_flips():
    h = sig.to_int64(0x0123456789ABCDEF)
    keys = sig.frame_band_keys([h], 16, 24, 1)
    assert keys == sig.frame_band_keys([h], 16, 24, 1) and len(keys) == 16
    assert set(keys.values()) == {(h,)}
    one_bit = sig.frame_band_keys([sig.to_int64(0x0123456789ABCDEF ^ 1)], 16, 24, 1)
    assert len(keys.keys() & one_bit.keys()) >= 1  # bit 0 is left out of some band


def test_banding_is_sized_for_the_verification_radius():
    """Measured on random hashes: frame pairs at each distance up to max_hamming share a band
    about as often as the formula says, and clips whose every frame is 8 bits off are found."""
    config = DedupConfig()
    rng = random.Random(11)
    for distance, floor in ((0, 1.0), (4, 0.85), (8, 0.15)):
        hits = 0
        for _ in range(400):
            h = sig.to_int64(rng.getrandbits(64))
            keys = sig.frame_band_keys([h], config.lsh_bands, config.lsh_band_bits, 1)
            other = sig.frame_band_keys(
                [flip(h, distance, rng)], config.lsh_bands, config.lsh_band_bits, 1
            )
            hits += bool(keys.keys() & other.keys())
        expected = sig.band_probability(distance, config.lsh_bands, config.lsh_band_bits)
        assert hits / 400 >= floor and abs(hits / 400 - expected) < 0.08, (distance, hits)
    found = 0
    for i in range(100):  # 8-frame clips, every frame (whole and central) 8 bits off
        base = [rng.getrandbits(64) for _ in range(8)]
        a = synthetic_entry(f"a{i}", [sig.to_int64(h) for h in base])
        b = synthetic_entry(f"b{i}", [flip(h, 8, rng) for h in base])
        assert visual_match(a, b, config)
        found += bool(candidate_pairs([a, b], lambda e: visual_keys(e, config), 64, 8))
    assert found >= 95


def test_crowded_bucket_finds_copies_in_bounded_windows():
    """5 exact copies inside a 1,205-member bucket are all paired, at far fewer than all pairs;
    previously published members are never paired with each other."""
    rng = random.Random(2)
    bucket = [(f"n{i:04d}", sig.to_int64(rng.getrandbits(64)), False) for i in range(1200)]
    copy = sig.to_int64(rng.getrandbits(64))
    bucket += [(f"copy{i}", copy, False) for i in range(5)]
    rng.shuffle(bucket)
    pairs = bucket_pairs((0, 1), bucket, 64)
    copies = {f"copy{i}" for i in range(5)}
    assert {(a, b) for a, b in pairs if a in copies and b in copies} == {
        (a, b) for a in copies for b in copies if a < b
    }
    assert len(pairs) <= 1205 * 64 < 1205 * 1204 // 2 // 9
    degree = {}
    for a, b in pairs:
        degree[a], degree[b] = degree.get(a, 0) + 1, degree.get(b, 0) + 1
    assert max(degree.values()) <= 2 * 64
    assert pairs == bucket_pairs((0, 1), list(reversed(bucket)), 64)  # order-free
    # members pair only when their hashes are within the radius: here, just the copies
    assert bucket_pairs((0, 1), bucket, 64, 8) == sorted(
        (a, b) for a in copies for b in copies if a < b
    )
    # a run of 300 copies, longer than a window, is still one connected group
    run_of = [(f"c{i:03d}", copy, False) for i in range(300)] + bucket[:400]
    (group,) = [g for g in connected_groups(bucket_pairs((0, 2), run_of, 64)) if "c000" in g]
    assert {f"c{i:03d}" for i in range(300)} <= set(group)
    published = [(f"previous:p{i}", copy, True) for i in range(3)]
    assert bucket_pairs((0, 3), published, 64) == []
    assert bucket_pairs((0, 3), [*published, ("new", copy, False)], 64) == [
        ("new", f"previous:p{i}") for i in range(3)
    ]


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


def random_edges(seed: int, nodes: int, edges: int) -> list[Edge]:
    rng = random.Random(seed)
    names = [f"{'previous:' if i % 17 == 0 else ''}n{i:03d}" for i in range(nodes)]
    r = {n: rank(n.startswith("previous:"), None, 10, 10, rng.random(), n) for n in names}
    pairs = {tuple(sorted(rng.sample(names, 2))) for _ in range(edges)}
    return [Edge(a, r[a], b, r[b]) for a, b in sorted(pairs)]


def test_label_propagation_finds_the_groups_and_their_best_clip():
    """Hash-min labels equal union-find's groups, each labelled with its best-ranked node; in
    fewer rounds than a chain is long, no two kept nodes are a verified pair."""
    edges = random_edges(4, 300, 260)
    ranks = {e.a: e.a_rank for e in edges} | {e.b: e.b_rank for e in edges}
    labels, moved = hash_min_labels(edges, 40)
    assert moved == 0
    for group in connected_groups((e.a, e.b) for e in edges):
        best = min(group, key=lambda n: (ranks[n], n))
        assert {labels[n] for n in group} == {(ranks[best], best)}
    chain = [Edge(f"c{i:02d}", (i,), f"c{i + 1:02d}", (i + 1,)) for i in range(20)]
    short, moved = hash_min_labels(chain, 3)
    assert moved > 0
    kept = {n for n, label in short.items() if label[1] == n}
    assert not any(e.a in kept and e.b in kept for e in chain)
    assert visual_decision("a", ((), "a")).reason is None
    assert visual_decision("a", ((), "previous:z")).duplicate_of == "z"


def test_label_components_in_beam_match_one_process():
    edges = random_edges(5, 120, 100)
    expected, _ = hash_min_labels(edges, 8)
    with TestPipeline() as p:
        labels = p | beam.Create(edges) | LabelComponents("dedup_test", "visual", 8)
        assert_that(labels, equal_to(sorted(expected.items())))


def test_previous_without_manifest_is_refused(tmp_path):
    with pytest.raises(SystemExit, match=r"no signatures/ or manifest"):
        main(["run", str(DEDUP / "E.mp4"), "--out", str(tmp_path / "o"), "--previous", "/nope"])


def test_previous_manifest_as_a_directory_of_parquet(tmp_path):
    """`OUT/manifest/` (a directory of Parquet files) is read as one table, kept rows only; a
    single `OUT/manifest.parquet` too."""
    import pyarrow as pa

    def rows(start: int) -> pa.Table:
        return pa.Table.from_pylist(
            [
                {
                    "clip_id": f"c{i}",
                    "source_sha256": "s",
                    "status": "kept" if i % 2 else "dropped",
                    "width": 640,
                    "height": 360,
                    "duration_s": 4.0,
                    "phash": [i] * 4,
                    "phash_center": [i] * 4,
                    "caption_en": "not read by the video pass",
                }
                for i in range(start, start + 4)
            ]
        )

    (tmp_path / "new" / "manifest").mkdir(parents=True)
    pq.write_table(rows(0), tmp_path / "new" / "manifest" / "part-0.parquet")
    pq.write_table(rows(4), tmp_path / "new" / "manifest" / "part-1.parquet")
    (tmp_path / "old").mkdir()
    pq.write_table(rows(0), tmp_path / "old" / "manifest.parquet")
    config = DedupConfig()
    for name, expected in (("new", ["c1", "c3", "c5", "c7"]), ("old", ["c1", "c3"])):
        corpus = find_previous(str(tmp_path / name))
        assert corpus.kind == "manifest", name
        entries = list(read_entries(corpus, config, visual=True, caption=False))
        assert sorted(e.clip_id for e in entries) == expected
        assert all(e.previous and e.caption_minhash is None for e in entries)
        assert entries[0].phash == (int(entries[0].clip_id[1:]),) * 4
