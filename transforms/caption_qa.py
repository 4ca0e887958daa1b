"""Caption QA: decide whether an English + Chinese caption pair is fit for training.

QA exists to keep the corpus clean *and* large: a false rejection throws away a caption that cost
a VLM call, as a miss lets a wrong one through. So each caption is checked on its own (language,
script, Simplified vs Traditional, length, degeneration: `caption_qa_language`), and the pair for
contradictions, not omissions (`caption_qa_agreement`, over CC-CEDICT and a small override file:
`caption_qa_dictionary`): numbers, counts and colours bound to the same thing, the main subjects,
directions, who does what to whom, negation. A translation may leave an attribute out or say a
name its own way ('red panda' -> 小熊猫); it may not say 三只 for 'two'.

Every issue carries its evidence (`colours_mismatch:car=red|蓝色`), every check a score, and
what a failed check does is set per check (`actions`: drop, flag, reprompt). Pairs the fast checks
find borderline can go to a model judge (`caption_qa_judge`, `judge: none | hf | openai`).

Pure logic: no Beam. `CaptionQA` loads its dictionary, tagger and detector once; `check()` takes
about a millisecond per pair.
"""

from __future__ import annotations

import functools
import json
import logging
import re
from dataclasses import dataclass, field
from enum import StrEnum

from transforms.caption_qa_agreement import Agreement
from transforms.caption_qa_dictionary import load_dictionary
from transforms.caption_qa_language import (
    EN_TERMINAL,
    HAN,
    ZH_TERMINAL,
    contains_any,
    en_tokens,
    is_garbled,
    is_truncated,
    is_word,
    length_issues,
    longest_loop,
    repeated_ngram_share,
    repetition,
    script_share,
)

log = logging.getLogger(__name__)

__all__ = [
    "ACTIONS",
    "CHECKS",
    "CaptionIssue",
    "CaptionQA",
    "CaptionQAConfig",
    "QAResult",
    "is_truncated",
    "longest_loop",
    "qa_jsonl",
    "repeated_ngram_share",
]


class CaptionIssue(StrEnum):
    """Why a caption pair fails QA. In `caption_issues` an issue is followed by its evidence
    (`numbers_mismatch:2|三`); a short caption's issues carry the prefix `short_`."""

    INVALID_RECORD = "invalid_record"
    TOO_LONG = "too_long"
    EN_EMPTY = "en_empty"
    ZH_EMPTY = "zh_empty"
    EN_NOT_ENGLISH = "en_not_english"
    ZH_NOT_CHINESE = "zh_not_chinese"
    EN_GARBLED = "en_garbled"
    ZH_GARBLED = "zh_garbled"
    ZH_TRADITIONAL = "zh_traditional"
    EN_TOO_SHORT = "en_too_short"
    EN_TOO_LONG = "en_too_long"
    ZH_TOO_SHORT = "zh_too_short"
    ZH_TOO_LONG = "zh_too_long"
    ZH_TOO_FEW_TOKENS = "zh_too_few_tokens"
    ZH_TOO_MANY_TOKENS = "zh_too_many_tokens"
    LENGTH_MISMATCH = "length_mismatch"
    EN_REPETITION = "en_repetition"
    ZH_REPETITION = "zh_repetition"
    EN_TRUNCATED = "en_truncated"
    ZH_TRUNCATED = "zh_truncated"
    EN_REFUSAL = "en_refusal"
    ZH_REFUSAL = "zh_refusal"
    EN_BOILERPLATE = "en_boilerplate"
    ZH_BOILERPLATE = "zh_boilerplate"
    NUMBERS_MISMATCH = "numbers_mismatch"
    COLOURS_MISMATCH = "colours_mismatch"
    COUNTS_MISMATCH = "counts_mismatch"
    NOUNS_MISMATCH = "nouns_mismatch"
    DIRECTIONS_MISMATCH = "directions_mismatch"
    ROLES_SWAPPED = "roles_swapped"
    NEGATION_MISMATCH = "negation_mismatch"
    JUDGE_MISMATCH = "judge_mismatch"


ACTIONS = ("drop", "flag", "reprompt")
# Each check and the issues it reports; `actions` in the config is keyed by these names.
CHECKS = {
    "input": ("invalid_record", "too_long"),
    "empty": ("en_empty", "zh_empty"),
    "language": ("en_not_english", "zh_not_chinese", "en_garbled", "zh_garbled", "zh_traditional"),
    "length": (
        "en_too_short",
        "en_too_long",
        "zh_too_short",
        "zh_too_long",
        "zh_too_few_tokens",
        "zh_too_many_tokens",
        "length_mismatch",
    ),
    "repetition": ("en_repetition", "zh_repetition"),
    "truncation": ("en_truncated", "zh_truncated"),
    "refusal": ("en_refusal", "zh_refusal"),
    "boilerplate": ("en_boilerplate", "zh_boilerplate"),
    "numbers": ("numbers_mismatch",),
    "counts": ("counts_mismatch",),
    "colours": ("colours_mismatch",),
    "nouns": ("nouns_mismatch",),
    "directions": ("directions_mismatch",),
    "roles": ("roles_swapped",),
    "negation": ("negation_mismatch",),
    "judge": ("judge_mismatch",),
    # the caption's camera claim against the measured camera motion (transforms/grounding.py)
    "camera": ("camera_mismatch",),
}
CHECK_OF = {issue: check for check, issues in CHECKS.items() for issue in issues}
DEFAULT_ACTIONS = {check: "reprompt" for check in CHECKS} | {"input": "drop", "empty": "reprompt"}
TRADITIONAL_POLICIES = ("normalize", "flag", "ignore")
JUDGES = ("none", "hf", "openai")
Bounds = tuple[float, float] | None


def _bounds(value, name: str) -> Bounds:
    if value is None:
        return None
    low, high = (float(v) for v in value)
    if not 0 <= low <= high:
        raise ValueError(f"caption_qa.{name} must be [min, max] with 0 <= min <= max")
    return low, high


def issue_name(issue: str) -> str:
    """'short_colours_mismatch:car=red|蓝色' -> 'colours_mismatch'."""
    return issue.split(":", 1)[0].removeprefix("short_")


@dataclass(frozen=True)
class CaptionQAConfig:
    """Thresholds of caption QA; `None` turns a check off (or `actions.CHECK: null`)."""

    lexicon: str = "lexicon_en_zh.yaml"  # the override file over CC-CEDICT: configs/ or a path
    # lingua chooses among these; a caption must be identified as the expected one.
    languages: tuple[str, ...] = (
        "english",
        "chinese",
        "japanese",
        "korean",
        "french",
        "german",
        "spanish",
        "portuguese",
        "italian",
        "russian",
    )
    min_script_share: float | None = 0.6  # letters in Latin (en) / Han (zh) script
    traditional: str = "normalize"  # normalize | flag | ignore
    max_caption_chars: int = 20000  # longer is `too_long`, not read further
    en_words: Bounds = (30, 250)
    zh_chars: Bounds = (50, 450)
    zh_tokens: Bounds = (25, 300)
    short_en_words: Bounds = (4, 40)
    short_zh_chars: Bounds = (5, 80)
    zh_chars_per_en_word: Bounds = (0.7, 4.0)
    repeat_ngram: int = 4
    max_repeated_ngram_share: float | None = 0.2
    max_loop_repeats: int | None = 3  # a phrase of 1..8 tokens this many times in a row
    # Key nouns: below this share of nouns with a counterpart on both sides, a pair describes
    # two different clips.
    nouns_min_matched: float | None = 0.25
    # What a failed check does: drop (no re-prompt), flag (kept, issue recorded), reprompt (asked
    # again with the issues, dropped if it still fails); null turns the check off.
    actions: dict = field(default_factory=lambda: dict(DEFAULT_ACTIONS))
    # A model compares the pair when the fast checks find it borderline: none | hf | openai.
    judge: str = "none"
    judge_model: str | None = None  # None: the caption model (caption.model)
    judge_base_url: str | None = None  # openai: None takes caption.openai.base_url / env
    judge_prompts: str = "prompts/caption_qa_judge_v1.yaml"
    judge_max_new_tokens: int = 256
    # Borderline: the share of nouns with a counterpart is in this range, or any check flagged.
    judge_borderline: Bounds = (0.25, 0.6)

    def __post_init__(self):
        object.__setattr__(self, "languages", tuple(lang.lower() for lang in self.languages))
        if not {"english", "chinese"} <= set(self.languages):
            raise ValueError("caption_qa.languages must include english and chinese")
        if self.traditional not in TRADITIONAL_POLICIES:
            raise ValueError(f"caption_qa.traditional must be one of {TRADITIONAL_POLICIES}")
        for name in (
            "en_words",
            "zh_chars",
            "zh_tokens",
            "short_en_words",
            "short_zh_chars",
            "zh_chars_per_en_word",
            "judge_borderline",
        ):
            object.__setattr__(self, name, _bounds(getattr(self, name), name))
        if self.repeat_ngram < 1:
            raise ValueError("caption_qa.repeat_ngram must be >= 1")
        if self.max_loop_repeats is not None and self.max_loop_repeats < 2:
            raise ValueError("caption_qa.max_loop_repeats must be >= 2")
        if self.max_caption_chars < 1:
            raise ValueError("caption_qa.max_caption_chars must be >= 1")
        for name in ("min_script_share", "max_repeated_ngram_share", "nouns_min_matched"):
            value = getattr(self, name)
            if value is not None and not 0 <= value <= 1:
                raise ValueError(f"caption_qa.{name} must be in [0, 1]")
        actions = dict(DEFAULT_ACTIONS) | dict(self.actions or {})
        for check, action in actions.items():
            if check not in CHECKS:
                raise ValueError(
                    f"caption_qa.actions: unknown check {check!r}; one of {list(CHECKS)}"
                )
            if action is not None and action not in ACTIONS:
                raise ValueError(f"caption_qa.actions.{check} must be one of {ACTIONS} or null")
        object.__setattr__(self, "actions", actions)
        if self.judge not in JUDGES:
            raise ValueError(f"caption_qa.judge must be one of {JUDGES}")
        if self.judge_max_new_tokens < 1:
            raise ValueError("caption_qa.judge_max_new_tokens must be >= 1")

    def on(self, check: str) -> bool:
        return self.actions.get(check) is not None


@dataclass(frozen=True)
class QAResult:
    """The verdict on one pair; `caption_zh` is normalised to Simplified where configured.

    `ok`: no issue whose action is drop or reprompt; `reprompt`: it failed, and only checks whose
    action is reprompt failed (asking again may help). `issues` holds every issue found, flagged
    ones included; `scores` one score per check run, 1.0 = no sign of the problem.
    """

    ok: bool
    issues: list[str]
    caption_zh: str | None = None
    short_caption_zh: str | None = None
    normalized_traditional: bool = False
    reprompt: bool = False
    scores: dict[str, float] = field(default_factory=dict)
    borderline: bool = False


@functools.cache
def _detector(languages: tuple[str, ...], low_accuracy: bool = False):
    from lingua import Language, LanguageDetectorBuilder

    chosen = [getattr(Language, lang.upper()) for lang in languages]
    builder = LanguageDetectorBuilder.from_languages(*chosen)
    if low_accuracy:  # trigrams only: as accurate on a caption-length text, several times faster
        builder = builder.with_low_accuracy_mode()
    return builder.build()


KANA_HANGUL = re.compile(r"[\u3040-\u30ff\u31f0-\u31ff\uac00-\ud7af\u1100-\u11ff]")
# lingua's own guidance: below about 120 characters the high-accuracy mode is worth its cost.
LOW_ACCURACY_MIN_CHARS = 120


@functools.cache
def _tagger():
    import jieba
    import jieba.posseg

    jieba.setLogLevel(logging.WARNING)
    tokenizer = jieba.Tokenizer()
    tokenizer.initialize()
    return jieba.posseg.POSTokenizer(tokenizer)


class CaptionQA:
    """Checks caption pairs. Build once per worker (dictionary, tagger and detector load here).

    `judge_backend`: a chat backend (`generate(list[ChatRequest])`) for the model judge, e.g.
    the captioning model already loaded; None builds one from the config when `judge` is set
    (`judge_models`: `caption_model`, `caption_base_url` to fall back on).
    """

    def __init__(self, config: CaptionQAConfig | None = None, judge_backend=None, **judge_models):
        import opencc
        from lingua import Language

        self.config = config or CaptionQAConfig()
        self.dictionary = load_dictionary(self.config.lexicon)
        self.tagger = _tagger()
        self.agreement = Agreement(self.dictionary, self.tagger)
        self.detector = _detector(self.config.languages)
        self.fast_detector = _detector(self.config.languages, low_accuracy=True)
        self.english, self.chinese = Language.ENGLISH, Language.CHINESE
        self.to_simplified = opencc.OpenCC("t2s")
        self.refusal = {k: tuple(v) for k, v in self.dictionary.overrides["refusal"].items()}
        self.boilerplate = {
            k: tuple(v) for k, v in self.dictionary.overrides["boilerplate"].items()
        }
        self.judge = None
        if self.config.judge != "none":
            from transforms.caption_qa_judge import CaptionJudge

            self.judge = CaptionJudge.from_config(self.config, judge_backend, **judge_models)

    # -- single captions

    def _language_issues(self, text: str, lang: str, prefix: str, scores: dict) -> list[str]:
        issues = []
        if is_garbled(text):
            issues.append(f"{prefix}{lang}_garbled")
        expected = self.english if lang == "en" else self.chinese
        share = script_share(text, han=lang == "zh")
        if lang == "zh" and share >= 0.9 and not KANA_HANGUL.search(text):
            detected = expected  # Han script without kana or hangul: Chinese, no model needed
        elif len(text) >= LOW_ACCURACY_MIN_CHARS:
            detected = self.fast_detector.detect_language_of(text)
        else:
            detected = self.detector.detect_language_of(text)
        scores["language"] = min(scores.get("language", 1.0), share)
        low = self.config.min_script_share is not None and share < self.config.min_script_share
        if detected != expected or low:
            name = "en_not_english" if lang == "en" else "zh_not_chinese"
            seen = detected.name.lower() if detected is not None else "unknown"
            issues.append(f"{prefix}{name}:{seen},script={share:.2f}")
        return issues

    def _degeneration_issues(
        self, text: str, tokens: list[str], lang: str, prefix: str, dense: bool, scores: dict
    ) -> list[str]:
        config, issues = self.config, []
        words = [t for t in tokens if is_word(t)]
        evidence, score = repetition(
            words,
            config.repeat_ngram,
            config.max_repeated_ngram_share,
            config.max_loop_repeats,
            dense,
        )
        scores["repetition"] = min(scores.get("repetition", 1.0), score)
        if evidence is not None:
            issues.append(f"{prefix}{lang}_repetition:{evidence}")
        terminals = EN_TERMINAL if lang == "en" else ZH_TERMINAL
        if dense and is_truncated(text, terminals):
            issues.append(f"{prefix}{lang}_truncated:{text.rstrip()[-12:]}")
        if found := contains_any(text, self.refusal[lang]):
            issues.append(f"{prefix}{lang}_refusal:{found}")
        if found := contains_any(text, self.boilerplate[lang]):
            issues.append(f"{prefix}{lang}_boilerplate:{found}")
        return issues

    def _length_issues(self, en_words, zh_chars, zh_words, prefix: str, dense: bool) -> list[str]:
        c = self.config
        counts = {
            ("en_too_short", "en_too_long"): en_words,
            ("zh_too_short", "zh_too_long"): zh_chars,
        }
        bounds = {
            ("en_too_short", "en_too_long"): c.en_words if dense else c.short_en_words,
            ("zh_too_short", "zh_too_long"): c.zh_chars if dense else c.short_zh_chars,
        }
        if dense:
            counts[("zh_too_few_tokens", "zh_too_many_tokens")] = zh_words
            bounds[("zh_too_few_tokens", "zh_too_many_tokens")] = c.zh_tokens
        issues = [prefix + i for i in length_issues(counts, bounds)]
        ratio = c.zh_chars_per_en_word
        if ratio and en_words and zh_chars and not ratio[0] <= zh_chars / en_words <= ratio[1]:
            issues.append(f"{prefix}length_mismatch:{zh_chars / en_words:.2f}")
        return issues

    # -- the pair

    def _agreement_issues(self, en: str, zh: str, zh_tagged, prefix: str, scores: dict):
        a, config = self.agreement, self.config
        en_reading, zh_reading = a.read_en(en), a.read_zh(zh, zh_tagged)
        found: list[tuple[str, list[str]]] = []
        counts = a.counts(en_reading, zh_reading) if config.on("counts") else []
        if config.on("numbers") and not counts:
            found.append(("numbers_mismatch", a.numbers(en_reading, zh_reading)))
        found.append(("counts_mismatch", counts))
        if config.on("colours"):
            found.append(("colours_mismatch", a.colours(en_reading, zh_reading)))
        if config.on("nouns"):
            nouns, share = a.subjects(en_reading, zh_reading)
            scores["nouns"] = min(scores.get("nouns", 1.0), share)
            if config.nouns_min_matched is None or share >= config.nouns_min_matched:
                nouns = [n for n in nouns if not n.startswith("unrelated=")]
            found.append(("nouns_mismatch", nouns))
        if config.on("directions"):
            found.append(("directions_mismatch", a.directions(en, zh)))
        if config.on("roles"):
            found.append(("roles_swapped", a.roles(en_reading, zh_reading)))
        if config.on("negation"):
            found.append(
                ("negation_mismatch", a.negation(en, en_reading.tokens, zh_reading.tokens))
            )
        issues = []
        for name, evidence in found:
            check = CHECK_OF[name]
            if check != "nouns":
                scores[check] = min(scores.get(check, 1.0), 0.0 if evidence else 1.0)
            issues += [f"{prefix}{name}:{e}" for e in evidence]
        return issues

    def _check_pair(self, en, zh, dense: bool, scores: dict) -> tuple[list[str], str | None]:
        prefix = "" if dense else "short_"
        if not isinstance(en, str | None) or not isinstance(zh, str | None):
            kinds = f"{type(en).__name__},{type(zh).__name__}"
            return [f"{prefix}invalid_record:not a string ({kinds})"], None
        en, zh = (en or "").strip(), (zh or "").strip()
        limit = self.config.max_caption_chars
        if len(en) > limit or len(zh) > limit:
            return [f"{prefix}too_long:{max(len(en), len(zh))}>{limit} chars"], None
        issues: list[str] = []
        normalized = False
        if zh and self.config.traditional != "ignore":
            simplified = self.to_simplified.convert(zh)
            if simplified != zh:
                if self.config.traditional == "flag":
                    issues.append(prefix + CaptionIssue.ZH_TRADITIONAL)
                else:
                    zh, normalized = simplified, True
        en_toks = en_tokens(en)
        zh_tagged = self.agreement.tag_zh(zh)
        zh_toks = [w for w, _ in zh_tagged]
        if not en:
            issues.append(prefix + CaptionIssue.EN_EMPTY)
        else:
            issues += self._language_issues(en, "en", prefix, scores)
            issues += self._degeneration_issues(en, en_toks, "en", prefix, dense, scores)
        if not zh:
            issues.append(prefix + CaptionIssue.ZH_EMPTY)
        else:
            issues += self._language_issues(zh, "zh", prefix, scores)
            issues += self._degeneration_issues(zh, zh_toks, "zh", prefix, dense, scores)
        en_words = sum(1 for t in en_toks if is_word(t)) if en else None
        zh_chars = len(HAN.findall(zh)) if zh else None
        zh_words = sum(1 for t in zh_toks if is_word(t)) if zh else None
        if self.config.on("length"):
            issues += self._length_issues(en_words, zh_chars, zh_words, prefix, dense)
        if en and zh:
            issues += self._agreement_issues(en, zh, zh_tagged, prefix, scores)
        issues = [i for i in issues if self.config.on(CHECK_OF[issue_name(i)])]
        return issues, zh if normalized else None

    def _verdict(self, issues: list[str], scores: dict, zh, short_zh, caption_zh, short_caption_zh):
        issues = list(dict.fromkeys(issues))
        actions = [self.config.actions[CHECK_OF[issue_name(i)]] for i in issues]
        failing = [a for a in actions if a in ("drop", "reprompt")]
        low, high = self.config.judge_borderline or (1.0, 0.0)
        borderline = not failing and ("flag" in actions or low <= scores.get("nouns", 1.0) < high)
        return QAResult(
            ok=not failing,
            issues=issues,
            caption_zh=zh if zh is not None else caption_zh,
            short_caption_zh=short_zh if short_zh is not None else short_caption_zh,
            normalized_traditional=zh is not None or short_zh is not None,
            reprompt=bool(failing) and "drop" not in failing,
            scores={k: round(v, 3) for k, v in sorted(scores.items())},
            borderline=borderline,
        )

    def check_fast(
        self,
        caption_en: str | None,
        caption_zh: str | None,
        short_caption_en: str | None = None,
        short_caption_zh: str | None = None,
    ) -> QAResult:
        """The fast checks alone (no model judge)."""
        scores: dict[str, float] = {}
        issues, zh = self._check_pair(caption_en, caption_zh, True, scores)
        short_zh = None
        if short_caption_en is not None or short_caption_zh is not None:
            short_issues, short_zh = self._check_pair(
                short_caption_en, short_caption_zh, False, scores
            )
            issues += short_issues
        return self._verdict(issues, scores, zh, short_zh, caption_zh, short_caption_zh)

    def check_pair(self, caption_en, caption_zh, dense: bool = True) -> QAResult:
        """The fast checks of one pair alone: dense bounds, or short ones (`short_` issues)."""
        scores: dict[str, float] = {}
        issues, zh = self._check_pair(caption_en, caption_zh, dense, scores)
        if dense:
            return self._verdict(issues, scores, zh, None, caption_zh, None)
        return self._verdict(issues, scores, None, zh, None, caption_zh)

    def check(
        self,
        caption_en: str | None,
        caption_zh: str | None,
        short_caption_en: str | None = None,
        short_caption_zh: str | None = None,
    ) -> QAResult:
        """QA of a dense pair, and of the short pair when either short caption is given."""
        return self.check_many([(caption_en, caption_zh, short_caption_en, short_caption_zh)])[0]

    def check_many(self, pairs) -> list[QAResult]:
        """QA of many (caption_en, caption_zh[, short_en, short_zh]) tuples; the judge, when
        configured, sees the borderline ones in one batch."""
        results = [self.check_fast(*pair) for pair in pairs]
        if self.judge is None:
            return results
        todo = [i for i, r in enumerate(results) if r.borderline]
        if not todo:
            return results
        verdicts = self.judge.judge([(pairs[i][0], results[i].caption_zh) for i in todo])
        for i, found in zip(todo, verdicts, strict=True):
            r = results[i]
            scores = dict(r.scores)
            if found is None:  # the judge failed or answered nonsense: the fast verdict stands
                scores["judge"] = -1.0
                results[i] = _replace(r, scores=scores)
                continue
            scores["judge"] = 0.0 if found else 1.0
            issues = r.issues + [f"{CaptionIssue.JUDGE_MISMATCH}:{e}" for e in found]
            results[i] = self._verdict(
                issues, scores, r.caption_zh, None, r.caption_zh, r.short_caption_zh
            )
        return results


def _replace(result: QAResult, **changes) -> QAResult:
    import dataclasses

    return dataclasses.replace(result, **changes)


CAPTION_FIELDS = ("caption_en", "caption_zh", "short_caption_en", "short_caption_zh")


def _parse_line(number: int, line: str) -> tuple[dict | None, dict | None]:
    """(record, None) for a usable line, (None, invalid row) otherwise."""
    record = None
    try:
        record = json.loads(line)
    except ValueError as e:
        error = f"not JSON: {e}"
    else:
        if not isinstance(record, dict):
            error = "not a JSON object"
        elif "id" not in record:
            error = "no id"
        elif bad := [
            k
            for k in CAPTION_FIELDS
            if record.get(k) is not None and not isinstance(record[k], str)
        ]:
            error = f"{', '.join(bad)} not a string"
        else:
            return record, None
    row = {"line": number, "caption_ok": False, "error": error[:500]}
    if isinstance(record, dict) and "id" in record:
        row["id"] = record["id"]
    row["caption_issues"] = [f"{CaptionIssue.INVALID_RECORD}:{error[:200]}"]
    return None, row


def qa_jsonl(lines, qa: CaptionQA, batch_size: int = 64):
    """QA of JSON lines `{id, caption_en, caption_zh[, short_caption_en, short_caption_zh]}`.

    Yields one row per non-blank line, in order: the record with `caption_ok`,
    `caption_issues` and `caption_scores` added (caption_zh normalised to Simplified where
    configured). A line that is not such a record yields `{line, [id,] caption_ok: false,
    caption_issues: [invalid_record:...], error}`; a caption longer than
    `max_caption_chars` gives `too_long`. Nothing stops the run, no line is lost.
    """
    batch: list[tuple[int, dict | None, dict | None]] = []

    def flush():
        good = [(n, r) for n, r, _ in batch if r is not None]
        results = iter(qa.check_many([tuple(r.get(k) for k in CAPTION_FIELDS) for _, r in good]))
        for _, record, invalid in batch:
            if invalid is not None:
                yield invalid
                continue
            result = next(results)
            record["caption_zh"] = result.caption_zh
            if "short_caption_zh" in record:
                record["short_caption_zh"] = result.short_caption_zh
            yield {
                **record,
                "caption_ok": result.ok,
                "caption_issues": result.issues,
                "caption_scores": result.scores,
            }
        batch.clear()

    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        record, invalid = _parse_line(number, line)
        batch.append((number, record, invalid))
        if len(batch) >= batch_size:
            yield from flush()
    yield from flush()
