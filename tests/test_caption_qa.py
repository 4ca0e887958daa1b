"""Caption QA on hand-written English/Chinese pairs (tests/data/caption_qa_*.yaml): faithful pairs
with the liberties of normal translation must pass, pairs with one realistic defect must be caught
by the check that owns it, with evidence; bad input gives a row, never a crash; the model judge
runs on a tiny Qwen2-VL in process and behind the local OpenAI-compatible server."""

from __future__ import annotations

import dataclasses
import json

import pytest

import configs
from pipelines.cli import main
from tests.caption_qa_pairs import HARD, evaluate, load_pairs
from transforms.caption_qa import (
    CHECK_OF,
    CHECKS,
    CaptionQA,
    CaptionQAConfig,
    is_truncated,
    issue_name,
    longest_loop,
    qa_jsonl,
    repeated_ngram_share,
)
from transforms.caption_qa_agreement import Quantity, zh_numeral_value
from transforms.caption_qa_judge import parse_judgement

CLEAN, BROKEN = load_pairs("dev")
STREET_EN = CLEAN[0]["en"]
STREET_ZH = CLEAN[0]["zh"]
# Known misses on the dev set, each for a reason the fast checks cannot see (see bench output).
KNOWN_MISSES = {
    "b22-colours-hoodie": "jieba splits 连帽衫 (hoodie) into single characters",
    "b35-roles-teacher": "jieba reads 老年病人 as 老年病 + 人 (geriatric disease + person)",
}


@pytest.fixture(scope="module")
def qa() -> CaptionQA:
    return CaptionQA(CaptionQAConfig(**configs.load()["caption_qa"]))


def names(result) -> set[str]:
    return {issue_name(i) for i in result.issues}


def check_row(qa: CaptionQA, row: dict):
    return qa.check_pair(row["en"], row["zh"], dense=row["kind"] == "dense")


@pytest.mark.parametrize("row", CLEAN, ids=[r["id"] for r in CLEAN])
def test_clean_pairs_pass(qa, row):
    result = check_row(qa, row)
    assert result.ok, result.issues


@pytest.mark.parametrize(
    "row",
    [
        pytest.param(r, marks=pytest.mark.xfail(reason=KNOWN_MISSES[r["id"]], strict=True))
        if r["id"] in KNOWN_MISSES
        else r
        for r in BROKEN
    ],
    ids=[r["id"] for r in BROKEN],
)
def test_broken_pairs_are_caught_by_their_check(qa, row):
    result = check_row(qa, row)
    assert not result.ok and row["check"] in {CHECK_OF[n] for n in names(result)}, result.issues


def test_targets_on_all_pairs(qa):
    """Issue 13: at most 3 % of clean pairs rejected, at least 95 % of the defects caught
    (directions, roles and negation counted separately, each at least two thirds)."""
    clean, broken = load_pairs("all")
    stats = evaluate(qa, clean, broken)
    assert len(clean) >= 40 and len(broken) >= 40
    assert len(stats["rejected"]) <= 0.03 * len(clean), stats["rejected"]
    plain = [r for r in broken if r["check"] not in HARD]
    plain_missed = [m for m in stats["missed"] if m[1] not in HARD]
    assert len(plain_missed) <= 0.05 * len(plain), plain_missed
    for check in HARD:
        caught, total = stats["per_check"][check]
        assert caught >= 2 / 3 * total, (check, caught, total)


@pytest.mark.parametrize(
    ("en", "zh", "expected"),
    [
        pytest.param(
            "A red car drives past.",
            "一辆蓝色的汽车驶过。",
            "colours_mismatch:car=red|蓝色",
            id="colour",
        ),
        pytest.param(
            "Two brown dogs run on the grass.",
            "三只棕色的狗在草地上奔跑。",
            "counts_mismatch:dog=two|三只",
            id="count",
        ),
        pytest.param(
            "He wears jersey number 23.", "他穿着32号球衣。", "numbers_mismatch:23|32", id="number"
        ),
        pytest.param(
            "A puppy runs on the grass.",
            "一只小猫在草地上跑。",
            "nouns_mismatch:puppy|小猫",
            id="noun",
        ),
        pytest.param(
            "The camera pans to the left.",
            "镜头向右摇。",
            "directions_mismatch:left|右",
            id="direction",
        ),
        pytest.param(
            "A dog chases a cat.", "一只猫在追一只狗。", "roles_swapped:dog>cat|猫>狗", id="roles"
        ),
        pytest.param(
            "A chef flips noodles in a wok.",
            "厨师没有在炒锅里翻炒面条。",
            "negation_mismatch:-|没有",
            id="negation",
        ),
    ],
)
def test_issues_carry_their_evidence(qa, en, zh, expected):
    assert expected in qa.check_pair(en, zh, dense=False).issues[0].removeprefix("short_")


@pytest.mark.parametrize(
    ("en", "zh"),
    [
        pytest.param("A red panda eats bamboo.", "一只小熊猫在吃竹子。", id="colour-in-name"),
        pytest.param("A cook chops green onions.", "厨师在切葱。", id="green-onions"),
        pytest.param("Three goldfish swim in a bowl.", "三条金鱼在鱼缸里游。", id="goldfish"),
        pytest.param("About twenty kids sit on the grass.", "二十来个孩子坐在草地上。", id="about"),
        pytest.param("Dozens of pigeons gather.", "几十只鸽子聚在一起。", id="dozens"),
        pytest.param("A couple of nurses push a bed.", "两位护士推着一张病床。", id="couple"),
        pytest.param("A pair of swans swims.", "一对天鹅在游水。", id="pair"),
        pytest.param("5 kids jump into puddles.", "五个孩子跳进水坑。", id="digits-words"),
        pytest.param("A man in a navy coat walks.", "一个穿藏青色外套的男人在走路。", id="navy"),
        pytest.param("A teal lake lies below.", "下方是一片蓝绿色的湖泊。", id="teal"),
        pytest.param("Cars pass on the left.", "左边有汽车驶过。", id="plural-no-number"),
        pytest.param(
            "A small brown rabbit eats clover.", "一只小兔子在吃三叶草。", id="colour-omitted"
        ),
    ],
)
def test_translation_liberties_are_not_disagreements(qa, en, zh):
    result = qa.check_pair(en, zh, dense=False)
    assert result.ok, result.issues


def test_quantities_compare_as_ranges_by_value():
    assert [zh_numeral_value(n) for n in ("三", "两", "十二", "一百零五", "一千二", "3")] == [
        3,
        2,
        12,
        105,
        1200,
        3,
    ]
    assert zh_numeral_value("一万") == 10000 and zh_numeral_value("二〇二四") == 2024
    assert Quantity(14, 30, "about twenty").overlaps(Quantity(20, 30, "二十来个"))
    assert not Quantity(2, 2, "two").overlaps(Quantity(3, 3, "三只"))
    assert Quantity(3, None, "many").overlaps(Quantity(100, 999, "上百"))


def test_language_identification(qa):
    french = (
        "Un homme en veste rouge promène deux chiens bruns le long d'une rue mouillée de la ville "
        "la nuit. Des voitures passent à gauche et leurs phares se reflètent sur la route. Trois "
        "personnes attendent à un arrêt de bus sous un lampadaire pendant que la pluie tombe."
    )
    assert "en_not_english" in names(qa.check(french, STREET_ZH))
    assert "en_garbled" in names(qa.check(STREET_EN.replace("wet", "w\ufffdt"), STREET_ZH))
    assert "zh_not_chinese" in names(qa.check(STREET_EN, STREET_EN + " 一个男人。"))


def test_traditional_chinese_is_normalised_or_flagged(qa):
    traditional = qa.to_simplified.convert(STREET_ZH)  # already Simplified: a no-op
    assert traditional == STREET_ZH
    trad = STREET_ZH.replace("两只", "兩隻").replace("汽车", "汽車").replace("镜头", "鏡頭")
    result = qa.check(STREET_EN, trad)
    assert result.ok and result.normalized_traditional and "两只" in result.caption_zh
    flagging = dataclasses.replace(qa.config, traditional="flag")
    assert "zh_traditional" in names(CaptionQA(flagging).check(STREET_EN, trad))


def test_length_and_degeneration_with_evidence(qa):
    short = qa.check("A man walks.", STREET_ZH).issues
    assert "en_too_short:3<30" in short and any(i.startswith("length_mismatch:") for i in short)
    loop = STREET_EN[:-1] + " and the dogs run and the dogs run and the dogs run."
    assert "en_repetition" in names(qa.check(loop, STREET_ZH))
    assert "zh_truncated" in names(qa.check(STREET_EN, STREET_ZH[:-6]))
    sorry = "I'm sorry, but I cannot describe the people in this video. " + STREET_EN
    assert "en_refusal:i'm sorry" in qa.check(sorry, STREET_ZH).issues
    assert (
        "zh_boilerplate:这张图片"
        in qa.check(STREET_EN, "这张图片展示了夜晚的城市。" + STREET_ZH).issues
    )
    assert {"en_empty", "zh_empty"} <= names(qa.check("", "  "))


def test_short_captions_are_checked_with_their_own_bounds(qa):
    ok = qa.check(
        STREET_EN, STREET_ZH, "A man walks two dogs at night.", "夜晚一名男子在遛两只狗。"
    )
    assert ok.ok, ok.issues
    bad = qa.check(
        STREET_EN, STREET_ZH, "A man walks three dogs at night.", "夜晚一名男子在遛两只狗。"
    )
    assert bad.issues == ["short_counts_mismatch:dog=three|两只"]
    assert qa.check(STREET_EN, STREET_ZH, "A man walks two dogs.", "").issues == ["short_zh_empty"]


def test_actions_per_check(qa):
    wrong = STREET_ZH.replace("红色", "蓝色")
    reprompt = qa.check(STREET_EN, wrong)
    assert not reprompt.ok and reprompt.reprompt and reprompt.scores["colours"] == 0.0
    flag = CaptionQA(dataclasses.replace(qa.config, actions={"colours": "flag"}))
    flagged = flag.check(STREET_EN, wrong)
    assert flagged.ok and flagged.borderline
    assert flagged.issues == ["colours_mismatch:jacket=red|蓝色"]
    drop = CaptionQA(dataclasses.replace(qa.config, actions={"colours": "drop"}))
    assert not drop.check(STREET_EN, wrong).reprompt
    off = CaptionQA(dataclasses.replace(qa.config, actions={"colours": None}))
    assert off.check(STREET_EN, wrong).ok and "colours" not in off.check(STREET_EN, wrong).scores


def test_bad_input_gives_a_row_per_line(qa):
    huge = "loop " * 250_000  # over a megabyte
    lines = [
        json.dumps({"id": "good", "caption_en": STREET_EN, "caption_zh": STREET_ZH}),
        "not json {",
        json.dumps([1, 2]),
        json.dumps({"caption_en": STREET_EN, "caption_zh": STREET_ZH}),
        json.dumps({"id": "int", "caption_en": 42, "caption_zh": STREET_ZH}),
        "",
        json.dumps({"id": "huge", "caption_en": huge, "caption_zh": STREET_ZH}),
        json.dumps({"id": "null", "caption_en": None, "caption_zh": STREET_ZH}),
    ]
    rows = list(qa_jsonl(lines, qa, batch_size=3))
    assert len(rows) == 7  # every non-blank line, in order
    assert [r.get("id") for r in rows] == ["good", None, None, None, "int", "huge", "null"]
    assert rows[0]["caption_ok"] and rows[0]["caption_scores"]["colours"] == 1.0
    assert [r["line"] for r in rows[1:5]] == [2, 3, 4, 5]
    for row in rows[1:5]:
        assert row["caption_issues"][0].startswith("invalid_record:") and not row["caption_ok"]
    assert rows[5]["caption_issues"] == ["too_long:1249999>20000 chars"]  # stripped
    assert "en_empty" in {issue_name(i) for i in rows[6]["caption_issues"]}
    assert qa.check(["a list"], STREET_ZH).issues[0].startswith("invalid_record:")


def test_text_helpers():
    assert longest_loop(["a", "b", "a", "b", "a", "b", "c"]) == 3
    assert longest_loop(["the", "dog", "runs", "to", "the", "park"]) == 1
    assert repeated_ngram_share(["a", "b", "c", "a", "b", "c"], 3) == pytest.approx(0.25)
    assert not is_truncated('He says "hello."', ".!?")
    assert is_truncated("The dog runs toward the", ".!?")


def test_config_validates():
    with pytest.raises(ValueError, match="traditional"):
        CaptionQAConfig(traditional="maybe")
    with pytest.raises(ValueError, match="en_words"):
        CaptionQAConfig(en_words=(50, 10))
    with pytest.raises(ValueError, match="unknown check"):
        CaptionQAConfig(actions={"colour": "drop"})
    with pytest.raises(ValueError, match=r"actions\.colours"):
        CaptionQAConfig(actions={"colours": "ignore"})
    with pytest.raises(ValueError, match="judge"):
        CaptionQAConfig(judge="gpt")


def test_qa_captions_command(tmp_path, capsys):
    rows = [
        {"id": "good", "caption_en": STREET_EN, "caption_zh": STREET_ZH},
        {"id": "wrong", "caption_en": STREET_EN, "caption_zh": STREET_ZH.replace("两只", "三只")},
    ]
    src = tmp_path / "in.jsonl"
    src.write_text(
        "\n".join(json.dumps(r, ensure_ascii=False) for r in rows) + "\nnot json\n", "utf-8"
    )
    out = tmp_path / "out.jsonl"
    assert main(["qa-captions", str(src), "--out", str(out)]) == 0
    got = [json.loads(line) for line in out.read_text("utf-8").splitlines()]
    assert [(g.get("id"), g["caption_ok"]) for g in got] == [
        ("good", True),
        ("wrong", False),
        (None, False),
    ]
    assert got[1]["caption_issues"] == ["counts_mismatch:dog=two|三只"]
    assert got[2]["line"] == 3 and got[2]["caption_issues"][0].startswith("invalid_record:")
    assert "1 of 3 pairs pass; counts_mismatch 1, invalid_record 1" in capsys.readouterr().out
    flagged = tmp_path / "flag.jsonl"
    sets = ["--set", "caption_qa.actions.counts=flag"]
    assert main(["qa-captions", str(src), "--out", str(flagged), *sets]) == 0
    row = json.loads(flagged.read_text("utf-8").splitlines()[1])
    assert row["caption_ok"] is True and row["caption_issues"] == ["counts_mismatch:dog=two|三只"]


# ----------------------------------------------------------------------------- the judge


def test_parse_judgement():
    answer = (
        '```json\n{"disagreements": [{"kind": "colour", "en": "red car", "zh": "蓝色汽车"}]}\n```'
    )
    assert parse_judgement(answer) == ["colour:red car|蓝色汽车"]
    assert parse_judgement('{"disagreements": []}') == []
    assert parse_judgement('{"disagreements": [{"kind": "vibe", "en": "a|b"}]}') == ["other:a b|"]
    assert parse_judgement("they agree") is None
    assert parse_judgement('{"answer": "none"}') is None


@pytest.fixture(scope="module")
def tiny_chat_model(tmp_path_factory):
    from tests.tiny_vlm import build_tiny_qwen2_vl
    from transforms.caption_backends import HFChatModel

    path = build_tiny_qwen2_vl(tmp_path_factory.mktemp("tiny-qwen2-vl-judge"))
    return path, HFChatModel(str(path), max_new_tokens=8)


def judged_config(qa: CaptionQA, **changes) -> CaptionQAConfig:
    return dataclasses.replace(qa.config, actions={"colours": "flag"}, **changes)


def test_hf_judge_sees_only_borderline_pairs(qa, tiny_chat_model):
    """The tiny model's answers are noise: the judge is asked, gives no usable JSON, and the fast
    verdict stands (score -1 marks the failed judgement)."""
    path, model = tiny_chat_model
    config = judged_config(qa, judge="hf", judge_model=str(path), judge_max_new_tokens=8)

    class Counting:  # the real model, counting the requests it answers
        def __init__(self):
            self.requests = []

        def generate(self, requests):
            self.requests += requests
            return model.generate(requests)

    backend = Counting()
    judged = CaptionQA(config, judge_backend=backend)
    wrong = STREET_ZH.replace("红色", "蓝色")
    results = judged.check_many(
        [(STREET_EN, STREET_ZH), (STREET_EN, wrong), (STREET_EN, STREET_ZH.replace("两只", "三只"))]
    )
    assert len(backend.requests) == 1  # the flagged pair only; a clean or rejected one is not
    request = backend.requests[0]
    assert request.json_answer and request.frames == ()
    assert STREET_EN in request.prompt and wrong in request.prompt
    assert results[1].ok and results[1].scores["judge"] == -1.0
    assert not results[2].ok and "judge" not in results[2].scores
    built = CaptionQA(config)  # judge: hf builds its own backend from judge_model
    assert built.judge.version == "caption-qa-judge-v1"


def test_openai_judge_through_the_local_server(qa, tiny_chat_model):
    from tests.tiny_vlm import ChatServer

    _, model = tiny_chat_model
    server = ChatServer(model, "tiny-judge")
    try:
        config = judged_config(
            qa, judge="openai", judge_model="tiny-judge", judge_base_url=server.base_url
        )
        judged = CaptionQA(config)
        wrong = STREET_ZH.replace("红色", "蓝色")
        result = judged.check(STREET_EN, wrong)
        assert len(server.requests) == 1
        body = server.requests[0]
        assert body["model"] == "tiny-judge" and body["response_format"] == {"type": "json_object"}
        assert wrong in body["messages"][-1]["content"][-1]["text"]
        assert result.ok and result.scores["judge"] == -1.0  # noise: the fast verdict stands
    finally:
        server.close()


def test_captioner_reprompts_only_for_reprompt_checks(qa, tiny_chat_model):
    """The caption stage asks again only when every failed check says reprompt; a drop ends it."""
    import io

    from PIL import Image

    from schemas import SampledClip
    from tests.test_write import make_clip
    from transforms.caption import CaptionConfig, Captioner

    buffer = io.BytesIO()
    Image.new("RGB", (64, 48), (200, 40, 40)).save(buffer, format="JPEG")
    clip = SampledClip(make_clip(0), (0.5, 1.5), (buffer.getvalue(),) * 2)
    path, model = tiny_chat_model
    caption = CaptionConfig(
        backend="hf", model=str(path), strategy="separate", frames=2, max_new_tokens=8
    )
    (asked_again,) = Captioner(caption, qa).caption([clip], model)
    assert asked_again.status == "rejected" and asked_again.attempts == 2
    assert asked_again.reprompt and asked_again.issues
    dropping = CaptionQA(dataclasses.replace(qa.config, actions=dict.fromkeys(CHECKS, "drop")))
    (dropped,) = Captioner(caption, dropping).caption([clip], model)
    assert dropped.status == "rejected" and dropped.attempts == 1 and not dropped.reprompt
