"""Caption QA on hand-written English/Chinese pairs: pairs that must pass, and one broken pair
for every check."""

import dataclasses
import json

import pytest

import configs
from pipelines.cli import main
from transforms.caption_qa import (
    CaptionQA,
    CaptionQAConfig,
    is_truncated,
    longest_loop,
    repeated_ngram_share,

)

STREET_EN = (
    "A man in a red jacket walks two brown dogs along a wet city street at night. Cars pass on "
    "the left and their headlights reflect on the road. Three people wait at a bus stop under a "
    "streetlight while rain falls steadily. The camera follows the man slowly from behind as he "
    "crosses the intersection and turns toward a small park with tall trees."
)
STREET_ZH = (
    "夜晚，一名穿着红色夹克的男子牵着两只棕色的狗，沿着湿漉漉的城市街道行走。左侧有汽车驶过，"
    "车灯的光映在路面上。三个人在路灯下的公交车站等车，雨一直在下。镜头从后方缓缓跟随这名男子，"
    "他穿过十字路口，走向一个种着高大树木的小公园。"
)
BEACH_EN = (
    "Twelve white seagulls stand on a sandy beach as small waves roll onto the shore. In the "
    "background a girl in a yellow dress runs along the water with a black dog, and a blue boat "
    "floats on the calm sea. The sun is setting behind the mountains, and the sky turns orange "
    "and pink. The camera is static and the shot lasts a few seconds."
)
BEACH_ZH = (
    "十二只白色的海鸥站在沙滩上，小小的海浪涌上岸边。背景中，一个穿着黄色连衣裙的女孩带着一只黑色"
    "的狗沿着水边奔跑，一艘蓝色的小船漂浮在平静的大海上。太阳正在群山后面落下，天空变成了橙色和"
    "粉色。镜头固定不动，画面持续了几秒钟。"
)
KITCHEN_EN = (
    "In a bright kitchen, an elderly woman with grey hair cuts 3 tomatoes on a wooden table while "
    "a boy watches her. A pot of soup steams on the stove behind them, and 100 small jars of "
    "spices line the shelves on the wall. She smiles, hands the boy a plate of bread, and he "
    "carries it to the window. Warm light fills the room."
)
KITCHEN_ZH = (
    "在明亮的厨房里，一位灰色头发的老奶奶在木桌上切三个西红柿，一个男孩在旁边看着她。他们身后的炉子"
    "上有一锅汤冒着热气，墙上的架子上摆着一百个装香料的小罐子。她微笑着把一盘面包递给男孩，男孩把"
    "它端到窗户边。温暖的灯光充满了整个房间。"
)
GOOD = [
    pytest.param(STREET_EN, STREET_ZH, id="street"),
    pytest.param(BEACH_EN, BEACH_ZH, id="beach"),
    pytest.param(KITCHEN_EN, KITCHEN_ZH, id="kitchen"),
]


@pytest.fixture(scope="module")
def qa() -> CaptionQA:
    return CaptionQA(CaptionQAConfig(**configs.load()["caption_qa"]))


def issues(qa: CaptionQA, en: str, zh: str, *short: str) -> list[str]:
    return qa.check(en, zh, *short).issues


@pytest.mark.parametrize(("en", "zh"), GOOD)
def test_faithful_pairs_pass(qa, en, zh):
    result = qa.check(en, zh, "A short sentence about the clip.", "一句关于这个片段的简短描述。")
    assert result.ok, result.issues
    assert result.issues == [] and result.caption_zh == zh


@pytest.mark.parametrize(
    ("en", "zh", "expected"),
    [
        pytest.param(STREET_EN, STREET_ZH.replace("两只", "三只"), "numbers_mismatch", id="2-vs-3"),
        pytest.param(
            BEACH_EN, BEACH_ZH.replace("十二只", "十一只"), "numbers_mismatch", id="12-11"
        ),
        pytest.param(KITCHEN_EN.replace("100", "200"), KITCHEN_ZH, "numbers_mismatch", id="100"),
        pytest.param(STREET_EN, STREET_ZH.replace("红色", "蓝色"), "colours_mismatch", id="colour"),
        pytest.param(
            BEACH_EN,
            BEACH_ZH.replace("黄色连衣裙", "连衣裙"),
            "colours_mismatch",
            id="colour-dropped",
        ),
        pytest.param(STREET_EN, STREET_ZH.replace("狗", "猫"), "nouns_mismatch", id="dog-cat"),
        pytest.param(
            STREET_EN, STREET_ZH.replace("男子", "女子"), "nouns_mismatch", id="man-woman"
        ),
        pytest.param(
            STREET_EN,
            "夜晚，有一个东西沿着湿漉漉的地方移动。它的旁边有一些其他的东西在移动，光映在上面。几个"
            "东西在下面等待，水一直在落下。视角从后方缓缓跟随，它穿过一个地方，走向另一个地方。",
            "nouns_mismatch",
            id="nouns-omitted",
        ),
    ],
)
def test_cross_lingual_disagreement_is_found(qa, en, zh, expected):
    assert expected in issues(qa, en, zh)


def test_counts_must_agree_not_only_numbers(qa):
    en = STREET_EN.replace("two brown dogs", "two brown dogs and three cats").replace(
        "Three people", "Several people"
    )
    swapped = STREET_ZH.replace("两只棕色的狗", "三只棕色的狗和两只猫").replace("三个人", "几个人")
    right = STREET_ZH.replace("两只棕色的狗", "两只棕色的狗和三只猫").replace("三个人", "几个人")
    assert "counts_mismatch" in issues(qa, en, swapped)
    assert "numbers_mismatch" not in issues(qa, en, swapped)  # the same numbers, wrong things
    assert issues(qa, en, right) == []


def test_chinese_numerals_and_digits_agree(qa):
    en = KITCHEN_EN.replace("3 tomatoes", "three tomatoes").replace("100 small", "one hundred")
    zh = KITCHEN_ZH.replace("三个西红柿", "3个西红柿")
    assert issues(qa, en, zh) == []
    assert [zh_numeral_value(n) for n in ("三", "两", "十二", "一百", "二十五", "一百零五")] == [
        3,
        2,
        12,
        100,
        25,
        105,
    ]
    assert zh_numeral_value("一万") == 10000 and zh_numeral_value("二〇二四") == 2024


def test_language_identification(qa):
    french = (
        "Un homme en veste rouge promène deux chiens bruns le long d'une rue mouillée de la ville "
        "la nuit. Des voitures passent à gauche et leurs phares se reflètent sur la route. Trois "
        "personnes attendent à un arrêt de bus sous un lampadaire pendant que la pluie tombe."
    )
    japanese = (
        "夜、赤いジャケットを着た男性が二匹の茶色い犬を連れて、濡れた街の通りを歩いている。左側を車が"
        "通り過ぎ、ヘッドライトが道路に反射している。三人が街灯の下のバス停で待っていて、雨が降り続いて"
        "いる。カメラは後ろから男性をゆっくりと追う。"
    )
    english_in_zh = STREET_EN + " 一个男人。"
    assert "en_not_english" in issues(qa, french, STREET_ZH)
    assert "zh_not_chinese" in issues(qa, STREET_EN, japanese)
    assert "zh_not_chinese" in issues(qa, STREET_EN, english_in_zh)
    assert "en_garbled" in issues(qa, STREET_EN.replace("wet", "w\ufffdt"), STREET_ZH)


def test_traditional_chinese_is_normalised_or_flagged(qa):
    traditional = (
        "夜晚，一名穿著紅色夾克的男子牽著兩隻棕色的狗，沿著濕漉漉的城市街道行走。左側有汽車駛過，"
        "車燈的光映在路面上。三個人在路燈下的公交車站等車，雨一直在下。鏡頭從後方緩緩跟隨這名男子，"
        "他穿過十字路口，走向一個種著高大樹木的小公園。"
    )
    result = qa.check(STREET_EN, traditional)
    assert result.ok and result.normalized_traditional
    assert "两只" in result.caption_zh and "兩隻" not in result.caption_zh
    flagging = dataclasses.replace(qa.config, traditional="flag")
    assert "zh_traditional" in CaptionQA(flagging).check(STREET_EN, traditional).issues


def test_length_bounds(qa):
    assert {"en_too_short", "length_mismatch"} <= set(issues(qa, "A man walks.", STREET_ZH))
    short_zh = issues(qa, STREET_EN, "夜晚，一名男子牵着两只狗在街上走。")
    assert {"zh_too_short", "zh_too_few_tokens", "length_mismatch"} <= set(short_zh)
    long_en = " ".join([STREET_EN.replace(".", ",")] * 5)[:-1] + "."
    assert "en_too_long" in issues(qa, long_en, STREET_ZH)
    empty = issues(qa, "", "  ")
    assert {"en_empty", "zh_empty"} <= set(empty)


def test_degeneration(qa):
    loop_en = STREET_EN[:-1] + " and the dogs run and the dogs run and the dogs run."
    assert "en_repetition" in issues(qa, loop_en, STREET_ZH)
    loop_zh = STREET_ZH[:-1] + "，小狗在跑小狗在跑小狗在跑。"
    assert "zh_repetition" in issues(qa, STREET_EN, loop_zh)
    assert "en_truncated" in issues(qa, STREET_EN[:-40], STREET_ZH)
    assert "zh_truncated" in issues(qa, STREET_EN, STREET_ZH[:-6])
    sorry = "I'm sorry, but I cannot describe the people in this video. " + STREET_EN
    assert "en_refusal" in issues(qa, sorry, STREET_ZH)
    assert "zh_refusal" in issues(qa, STREET_EN, "作为一个AI，我无法描述视频中的人。" + STREET_ZH)
    image = "This image shows a city at night. " + STREET_EN
    assert "en_boilerplate" in issues(qa, image, STREET_ZH)
    assert "zh_boilerplate" in issues(qa, STREET_EN, "这张图片展示了夜晚的城市。" + STREET_ZH)


def test_short_captions_are_checked_with_their_own_bounds(qa):
    ok = qa.check(
        STREET_EN, STREET_ZH, "A man walks two dogs at night.", "夜晚一名男子在遛两只狗。"
    )
    assert ok.ok, ok.issues
    bad = qa.check(
        STREET_EN, STREET_ZH, "A man walks three dogs at night.", "夜晚一名男子在遛两只狗。"
    )
    assert bad.issues == ["short_numbers_mismatch", "short_counts_mismatch"]
    empty = qa.check(STREET_EN, STREET_ZH, "A man walks two dogs at night.", "")
    assert empty.issues == ["short_zh_empty"]


def test_checks_turn_off_with_none(qa):
    lenient = dataclasses.replace(
        qa.config, en_words=None, zh_chars=None, zh_tokens=None, zh_chars_per_en_word=None
    )
    assert CaptionQA(lenient).check("A man walks two dogs.", "一名男子在遛两只狗。").ok


def test_text_helpers():
    assert longest_loop(["a", "b", "a", "b", "a", "b", "c"]) == 3
    assert longest_loop(["the", "dog", "runs", "to", "the", "park"]) == 1
    assert repeated_ngram_share(["a", "b", "c", "a", "b", "c"], 3) == pytest.approx(0.25)
    assert repeated_ngram_share(["a", "b"], 3) == 0.0
    assert not is_truncated('He says "hello."', ".!?")
    assert is_truncated("The dog runs toward the", ".!?")
    assert not is_truncated("小狗在跑。」", "。！？")


def test_config_validates():
    with pytest.raises(ValueError, match="traditional"):
        CaptionQAConfig(traditional="maybe")
    with pytest.raises(ValueError, match="en_words"):
        CaptionQAConfig(en_words=(50, 10))
    with pytest.raises(ValueError, match="english and chinese"):
        CaptionQAConfig(languages=("english", "french"))


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
    assert got[0]["caption_issues"] == [] and got[0]["caption_zh"] == STREET_ZH
    assert "numbers_mismatch" in got[1]["caption_issues"]
    assert got[2]["caption_issues"] == ["invalid_record"] and got[2]["line"] == 3
    assert "1 of 3 pairs pass" in capsys.readouterr().out
    flagged = tmp_path / "flag.jsonl"
    sets = ["--set", "caption_qa.numbers=false", "--set", "caption_qa.counts=false"]
    assert main(["qa-captions", str(src), "--out", str(flagged), *sets]) == 0
    assert json.loads(flagged.read_text("utf-8").splitlines()[1])["caption_ok"] is True
