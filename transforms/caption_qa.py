"""Caption QA: decide whether an English + Chinese caption pair is fit for training.

Every pair is checked in both languages: language (a real language identifier, lingua, plus the
share of letters in the expected script), Simplified vs Traditional Chinese (OpenCC), length
bounds (English words, Chinese characters, jieba tokens), degeneration (repeated n-grams and
loops, truncation, refusals, boilerplate about "the image"), and cross-lingual agreement: the
numbers, colours, counts and key nouns of `caption_en` must be found in `caption_zh`, through
jieba segmentation and the bilingual lexicon in `configs/lexicon_en_zh.yaml`. Published corpora
translate captions without checking them; a translation that says "three dogs" for "two dogs"
is caught here.

Pure logic: no Beam. `CaptionQA` builds its detector, segmenter and lexicon once; `check()` is
cheap (about a millisecond per pair).
"""

from __future__ import annotations

import functools
import logging
import re
import unicodedata
from dataclasses import dataclass, field
from enum import StrEnum

from configs import read_yaml

log = logging.getLogger(__name__)


class CaptionIssue(StrEnum):
    """Why a caption pair fails QA; a short caption's issues carry the prefix `short_`."""

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


TRADITIONAL_POLICIES = ("normalize", "flag", "ignore")
Bounds = tuple[float, float] | None


def _bounds(value, name: str) -> Bounds:
    if value is None:
        return None
    low, high = (float(v) for v in value)
    if not 0 <= low <= high:
        raise ValueError(f"caption_qa.{name} must be [min, max] with 0 <= min <= max")
    return low, high


@dataclass(frozen=True)
class CaptionQAConfig:
    """Thresholds of caption QA; `None` turns a check off."""

    lexicon: str = "lexicon_en_zh.yaml"  # in configs/, or a path
    # lingua chooses among these; a caption must be identified as the expected one.
    languages: tuple[str, ...] = (
        *("english", "chinese", "japanese", "korean", "french", "german", "spanish"),
        *("portuguese", "italian", "russian"),
    )
    min_script_share: float | None = 0.6  # letters in Latin (en) / Han (zh) script
    traditional: str = "normalize"  # normalize | flag | ignore
    en_words: Bounds = (30, 250)
    zh_chars: Bounds = (50, 450)
    zh_tokens: Bounds = (25, 300)
    short_en_words: Bounds = (4, 40)
    short_zh_chars: Bounds = (5, 80)
    zh_chars_per_en_word: Bounds = (0.7, 4.0)
    repeat_ngram: int = 4
    max_repeated_ngram_share: float | None = 0.2
    max_loop_repeats: int | None = 3  # a phrase of 1..8 tokens this many times in a row
    truncation: bool = True
    refusal: bool = True
    boilerplate: bool = True
    numbers: bool = True
    colours: bool = True
    counts: bool = True
    nouns_max_unmatched: float | None = 0.34  # share of noun mentions without a counterpart

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
        ):
            object.__setattr__(self, name, _bounds(getattr(self, name), name))
        if self.repeat_ngram < 1:
            raise ValueError("caption_qa.repeat_ngram must be >= 1")
        if self.max_loop_repeats is not None and self.max_loop_repeats < 2:
            raise ValueError("caption_qa.max_loop_repeats must be >= 2")
        for name in ("min_script_share", "max_repeated_ngram_share", "nouns_max_unmatched"):
            value = getattr(self, name)
            if value is not None and not 0 <= value <= 1:
                raise ValueError(f"caption_qa.{name} must be in [0, 1]")


@dataclass(frozen=True)
class QAResult:
    """The verdict on one pair; `caption_zh` is normalised to Simplified where configured."""

    ok: bool
    issues: list[str]
    caption_zh: str | None = None
    short_caption_zh: str | None = None
    normalized_traditional: bool = False


# ----------------------------------------------------------------------------- lexicon


def _english_plurals(word: str) -> set[str]:
    if " " in word:
        head, _, last = word.rpartition(" ")
        return {f"{head} {p}" for p in _english_plurals(last)}
    if word.endswith(("s", "x", "z", "ch", "sh")):
        return {word + "es"}
    if len(word) > 2 and word.endswith("y") and word[-2] not in "aeiou":
        return {word[:-1] + "ies"}
    return {word + "s"}


@dataclass
class Lexicon:
    """The bilingual word lists of `configs/lexicon_en_zh.yaml`, indexed for lookup."""

    en_nouns: dict[str, frozenset[str]]  # surface form -> concepts
    zh_nouns: dict[str, frozenset[str]]
    broader: dict[str, str]
    en_colours: dict[str, str]
    zh_colour_chars: dict[str, str]  # a character or short string -> colour, found inside tokens
    zh_colour_words: dict[str, frozenset[str]]
    zh_not_colour: frozenset[str]
    en_numbers: dict[str, int]
    zh_measure_words: tuple[str, ...]  # longest first
    zh_not_number: frozenset[str]
    zh_compound_max_freq: int
    refusal: dict[str, tuple[str, ...]]
    boilerplate: dict[str, tuple[str, ...]]
    max_en_ngram: int = 1
    ancestors: dict[str, frozenset[str]] = field(default_factory=dict)

    @classmethod
    def load(cls, name: str) -> Lexicon:
        raw = read_yaml(name)
        en_nouns: dict[str, set[str]] = {}
        zh_nouns: dict[str, set[str]] = {}
        broader = {}
        for concept, entry in raw["nouns"].items():
            for form in entry["en"]:
                form = str(form).lower()
                for surface in {form} | _english_plurals(form):
                    en_nouns.setdefault(surface, set()).add(concept)
            for form in entry["zh"]:
                zh_nouns.setdefault(str(form).lower(), set()).add(concept)
            if entry.get("is"):
                broader[concept] = entry["is"]
        en_colours, zh_colour_chars = {}, {}
        for colour, entry in raw["colours"].items():
            en_colours.update({str(w).lower(): colour for w in entry["en"]})
            zh_colour_chars.update({str(w): colour for w in entry["zh"]})
        lexicon = cls(
            en_nouns={k: frozenset(v) for k, v in en_nouns.items()},
            zh_nouns={k: frozenset(v) for k, v in zh_nouns.items()},
            broader=broader,
            en_colours=en_colours,
            zh_colour_chars=zh_colour_chars,
            zh_colour_words={k: frozenset(v) for k, v in raw["zh_colour_words"].items()},
            zh_not_colour=frozenset(raw["zh_not_colour"]),
            en_numbers={str(k): int(v) for k, v in raw["en_numbers"].items()},
            zh_measure_words=tuple(sorted(raw["zh_measure_words"], key=len, reverse=True)),
            zh_not_number=frozenset(raw["zh_not_number"]),
            zh_compound_max_freq=int(raw["zh_compound_max_freq"]),
            refusal={k: tuple(str(p).lower() for p in v) for k, v in raw["refusal"].items()},
            boilerplate={
                k: tuple(str(p).lower() for p in v) for k, v in raw["boilerplate"].items()
            },
        )
        lexicon.max_en_ngram = max(len(form.split()) for form in lexicon.en_nouns)
        lexicon.ancestors = {c: frozenset(lexicon._chain(c)) for c in raw["nouns"]}
        return lexicon

    def _chain(self, concept: str) -> list[str]:
        chain, seen = [], {concept}
        while (concept := self.broader.get(concept)) and concept not in seen:
            chain.append(concept)
            seen.add(concept)
        return chain

    def compatible(self, a: str, b: str) -> bool:
        """Same concept, or one is broader than the other (man ~ person), never siblings."""
        return a == b or a in self.ancestors.get(b, ()) or b in self.ancestors.get(a, ())


# ----------------------------------------------------------------------------- text helpers

EN_TOKEN = re.compile(r"[a-z0-9]+(?:[-'’.,][a-z0-9]+)*|[^\sa-z0-9]", re.IGNORECASE)
EN_WORD = re.compile(r"[a-z0-9]", re.IGNORECASE)
HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
ZH_NUMERAL = re.compile(r"^(\d+(?:\.\d+)?|[零〇一二两三四五六七八九十百千万]+)(.*)$")
EN_TERMINAL = ".!?…"
ZH_TERMINAL = "。！？…!?."
CLOSERS = "\"'”’)）」』】"
ZH_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6}
ZH_DIGITS |= {"七": 7, "八": 8, "九": 9}
ZH_UNITS = {"十": 10, "百": 100, "千": 1000}


def en_tokens(text: str) -> list[str]:
    """Lower-cased words and single punctuation marks, in order."""
    return [t.lower() for t in EN_TOKEN.findall(text)]


def is_word(token: str) -> bool:
    return bool(EN_WORD.match(token)) or bool(HAN.match(token))


def zh_numeral_value(numeral: str) -> int | None:
    """三 -> 3, 两 -> 2, 十二 -> 12, 一百零五 -> 105, 一万 -> 10000, 二〇二四 -> 2024."""
    if numeral.isdigit():
        return int(numeral)
    if not any(c in ZH_UNITS or c == "万" for c in numeral):
        digits = [ZH_DIGITS.get(c) for c in numeral]
        return None if None in digits else int("".join(map(str, digits)))
    total = section = number = 0
    for c in numeral:
        if c in ZH_DIGITS:
            number = ZH_DIGITS[c]
        elif c in ZH_UNITS:
            section += (number or 1) * ZH_UNITS[c]
            number = 0
        elif c == "万":
            total += (section + number or 1) * 10000
            section = number = 0
        else:
            return None
    return total + section + number


def repeated_ngram_share(tokens: list[str], n: int) -> float:
    """Share of the n-grams that already appeared earlier in the text (0 for a text without)."""
    grams = [tuple(tokens[i : i + n]) for i in range(len(tokens) - n + 1)]
    if not grams:
        return 0.0
    return 1 - len(set(grams)) / len(grams)


def longest_loop(tokens: list[str], max_period: int = 8) -> int:
    """The most times a phrase of 1..max_period tokens repeats back to back ("a b a b a b": 3)."""
    best = 1
    for period in range(1, max_period + 1):
        run = 0  # consecutive tokens equal to the token one period earlier
        for j in range(period, len(tokens)):
            run = run + 1 if tokens[j] == tokens[j - period] else 0
            best = max(best, 1 + run // period)
    return best


def is_truncated(text: str, terminals: str) -> bool:
    """No sentence-final punctuation at the end (after closing quotes and brackets)."""
    stripped = text.rstrip().rstrip(CLOSERS).rstrip()
    return not stripped or stripped[-1] not in terminals


def is_garbled(text: str) -> bool:
    """Replacement characters, control characters or private-use code points: broken decoding."""
    for c in text:
        if c == "\ufffd":
            return True
        category = unicodedata.category(c)
        if (category == "Cc" and c not in "\n\t\r") or category in ("Co", "Cs"):
            return True
    return False


def script_share(text: str, han: bool) -> float:
    letters = [c for c in text if c.isalpha()]
    if not letters:
        return 0.0
    if han:
        return sum(1 for c in letters if HAN.match(c)) / len(letters)
    return sum(1 for c in letters if c.isascii() or "LATIN" in unicodedata.name(c, "")) / len(
        letters
    )


def contains_any(text: str, phrases: tuple[str, ...]) -> bool:
    lowered = text.lower()
    return any(p in lowered for p in phrases)


# ----------------------------------------------------------------------------- the checker


@dataclass
class _Side:
    """What one caption says, in lexicon terms."""

    numbers: set[int]
    colours: set[str]
    counts: list[tuple[int, frozenset[str]]]
    nouns: set[frozenset[str]]


@functools.cache
def _detector(languages: tuple[str, ...]):
    from lingua import Language, LanguageDetectorBuilder

    chosen = [getattr(Language, lang.upper()) for lang in languages]
    return LanguageDetectorBuilder.from_languages(*chosen).build()


class CaptionQA:
    """Checks caption pairs. Build once per worker (the detector and segmenter load here)."""

    def __init__(self, config: CaptionQAConfig | None = None):
        import jieba
        import opencc
        from lingua import Language

        jieba.setLogLevel(logging.WARNING)
        self.config = config or CaptionQAConfig()
        self.lexicon = Lexicon.load(self.config.lexicon)
        self.detector = _detector(self.config.languages)
        self.english, self.chinese = Language.ENGLISH, Language.CHINESE
        self.segmenter = jieba.Tokenizer()
        self.segmenter.initialize()
        # Lexicon words become dictionary words, so that a known noun is one token.
        for word in (*self.lexicon.zh_nouns, *self.lexicon.zh_colour_words):
            if word not in self.segmenter.FREQ:
                self.segmenter.add_word(word, freq=100)
        self.to_simplified = opencc.OpenCC("t2s")

    # -- segmentation and extraction

    def zh_tokens(self, text: str) -> list[str]:
        return [t for t in self.segmenter.lcut(text, HMM=False) if t.strip()]

    def _zh_nouns_in(self, token: str) -> list[frozenset[str]]:
        lex = self.lexicon
        if token in lex.zh_nouns:
            return [lex.zh_nouns[token]]
        if self.segmenter.FREQ.get(token, 0) > lex.zh_compound_max_freq:
            return []  # a word of its own (上海, 大家), not a compound of lexicon words
        found, i = [], 0
        while i < len(token):
            for j in range(len(token), i + 1, -1):  # multi-character words, longest first
                if token[i:j] in lex.zh_nouns:
                    found.append(lex.zh_nouns[token[i:j]])
                    i = j
                    break
            else:
                i += 1
        if not found and token[-1] in lex.zh_nouns:  # head-final: 小黑猫 -> 猫
            found.append(lex.zh_nouns[token[-1]])
        return found

    def _zh_colours_in(self, token: str) -> set[str]:
        lex = self.lexicon
        if token in lex.zh_colour_words:
            return set(lex.zh_colour_words[token])
        if token in lex.zh_not_colour:
            return set()
        return {colour for chars, colour in lex.zh_colour_chars.items() if chars in token}

    def _zh_numeral(self, token: str) -> tuple[int, str] | None:
        """(value, what follows the measure word) for 两只 / 十二棵 / 3 / 2019年; else None."""
        lex = self.lexicon
        if token in lex.zh_not_number or token.startswith("第"):
            return None
        match = ZH_NUMERAL.match(token)
        if not match:
            return None
        numeral, rest = match.groups()
        if rest:
            measure = next((m for m in lex.zh_measure_words if rest.startswith(m)), None)
            if measure is None:
                return None  # 三明治, 四周, 十字路口, 五颜六色
            rest = rest[len(measure) :]
        value = float(numeral) if "." in numeral else zh_numeral_value(numeral)
        if value is None:
            return None
        return int(value) if float(value).is_integer() else value, rest

    def analyse_zh(self, tokens: list[str]) -> _Side:
        side = _Side(numbers=set(), colours=set(), counts=[], nouns=set())
        for i, token in enumerate(tokens):
            side.colours |= self._zh_colours_in(token)
            numeral = self._zh_numeral(token)
            if numeral is None:
                side.nouns.update(self._zh_nouns_in(token))
                continue
            value, rest = numeral
            if value < 2:
                continue  # 一 is also an article (一个人, 一辆车)
            side.numbers.add(value)
            following = [rest] if rest else []
            for nxt in tokens[i + 1 : i + 4]:
                if not is_word(nxt) or self._zh_numeral(nxt):
                    break
                following.append(nxt)
            for nxt in following:
                # a measure word glued to the noun: 3 辆车
                trimmed = next(
                    (nxt[len(m) :] for m in self.lexicon.zh_measure_words if nxt.startswith(m)),
                    nxt,
                )
                nouns = self._zh_nouns_in(trimmed or nxt)
                if nouns:
                    side.counts.append((value, nouns[-1]))
                    if rest and nxt == rest:
                        side.nouns.update(nouns)
                    break
        return side

    def _en_number_at(self, tokens: list[str], i: int) -> tuple[float, int] | None:
        """(value, tokens used) of a number at tokens[i]: 3, 1,200, twenty-five, two hundred."""
        token = tokens[i]
        plain = token.replace(",", "")
        if re.fullmatch(r"\d+(\.\d+)?", plain):
            value = float(plain)
            return (int(value) if value.is_integer() else value), 1
        words = self.lexicon.en_numbers
        parts = token.split("-")
        if not all(p in words for p in parts):
            return None
        value, used = sum(words[p] for p in parts), 1
        while i + used < len(tokens) and tokens[i + used] in ("hundred", "thousand"):
            value *= words[tokens[i + used]]
            used += 1
        return value, used

    def _en_nouns_at(self, tokens: list[str], i: int) -> tuple[frozenset[str], int] | None:
        for n in range(min(self.lexicon.max_en_ngram, len(tokens) - i), 0, -1):
            form = " ".join(tokens[i : i + n])
            if form in self.lexicon.en_nouns:
                return self.lexicon.en_nouns[form], n
        return None

    def analyse_en(self, tokens: list[str]) -> _Side:
        side = _Side(numbers=set(), colours=set(), counts=[], nouns=set())
        lex = self.lexicon
        i = 0
        while i < len(tokens):
            token = tokens[i]
            if token in lex.en_colours:
                side.colours.add(lex.en_colours[token])
            number = self._en_number_at(tokens, i)
            if number is not None:
                value, used = number
                if value >= 2:
                    side.numbers.add(value)
                    for j in range(i + used, min(i + used + 4, len(tokens))):
                        if not is_word(tokens[j]) or self._en_number_at(tokens, j):
                            break
                        found = self._en_nouns_at(tokens, j)
                        if found:
                            side.counts.append((value, found[0]))
                            break
                i += used
                continue
            found = self._en_nouns_at(tokens, i)
            if found:
                side.nouns.add(found[0])
                i += found[1]
                continue
            i += 1
        return side

    # -- the checks

    def _language_issues(self, text: str, lang: str, prefix: str) -> list[str]:
        issues = []
        if is_garbled(text):
            issues.append(f"{prefix}{lang}_garbled")
        expected = self.english if lang == "en" else self.chinese
        wrong = self.detector.detect_language_of(text) != expected
        share = self.config.min_script_share
        if wrong or (share is not None and script_share(text, han=lang == "zh") < share):
            wrong_language = "en_not_english" if lang == "en" else "zh_not_chinese"
            issues.append(prefix + wrong_language)
        return issues

    def _degeneration_issues(
        self, text: str, tokens: list[str], lang: str, prefix: str, dense: bool
    ) -> list[str]:
        config, issues = self.config, []
        words = [t for t in tokens if is_word(t)]
        repeated = (
            config.max_repeated_ngram_share is not None
            and dense
            and repeated_ngram_share(words, config.repeat_ngram) > config.max_repeated_ngram_share
        )
        looped = config.max_loop_repeats is not None and longest_loop(words) >= (
            config.max_loop_repeats
        )
        if repeated or looped:
            issues.append(f"{prefix}{lang}_repetition")
        terminals = EN_TERMINAL if lang == "en" else ZH_TERMINAL
        if config.truncation and dense and is_truncated(text, terminals):
            issues.append(f"{prefix}{lang}_truncated")
        if config.refusal and contains_any(text, self.lexicon.refusal[lang]):
            issues.append(f"{prefix}{lang}_refusal")
        if config.boilerplate and contains_any(text, self.lexicon.boilerplate[lang]):
            issues.append(f"{prefix}{lang}_boilerplate")
        return issues

    def _length_issues(
        self,
        en_words: int | None,
        zh_chars: int | None,
        zh_tokens: int | None,
        prefix: str,
        dense: bool,
    ) -> list[str]:
        config = self.config
        checks = [
            ("en_too_short", "en_too_long", en_words, config.en_words),
            ("zh_too_short", "zh_too_long", zh_chars, config.zh_chars),
            ("zh_too_few_tokens", "zh_too_many_tokens", zh_tokens, config.zh_tokens),
        ]
        if not dense:
            checks = [
                ("en_too_short", "en_too_long", en_words, config.short_en_words),
                ("zh_too_short", "zh_too_long", zh_chars, config.short_zh_chars),
            ]
        issues = []
        for low_name, high_name, value, bounds in checks:
            if bounds is None or value is None:  # an empty caption is reported as empty
                continue
            if value < bounds[0]:
                issues.append(prefix + low_name)
            elif value > bounds[1]:
                issues.append(prefix + high_name)
        ratio = config.zh_chars_per_en_word
        if ratio and en_words and zh_chars and not ratio[0] <= zh_chars / en_words <= ratio[1]:
            issues.append(prefix + CaptionIssue.LENGTH_MISMATCH)
        return issues

    def _agreement_issues(self, en: _Side, zh: _Side, prefix: str) -> list[str]:
        config, issues = self.config, []
        if config.numbers and en.numbers != zh.numbers:
            issues.append(prefix + CaptionIssue.NUMBERS_MISMATCH)
        if config.colours and en.colours != zh.colours:
            issues.append(prefix + CaptionIssue.COLOURS_MISMATCH)
        if config.counts and (
            self._counts_disagree(en.counts, zh.counts)
            or self._counts_disagree(zh.counts, en.counts)
        ):
            issues.append(prefix + CaptionIssue.COUNTS_MISMATCH)
        if config.nouns_max_unmatched is not None:
            en_only = [m for m in en.nouns if not self._mentioned(m, zh.nouns)]
            zh_only = [m for m in zh.nouns if not self._mentioned(m, en.nouns)]
            total = len(en.nouns) + len(zh.nouns)
            omitted = total and (len(en_only) + len(zh_only)) / total > config.nouns_max_unmatched
            if omitted or self._swapped(en.nouns, zh.nouns):
                issues.append(prefix + CaptionIssue.NOUNS_MISMATCH)
        return issues

    def _swapped(self, en: set[frozenset[str]], zh: set[frozenset[str]]) -> bool:
        """A thing on one side replaced by its sibling on the other (dog / 猫, man / 女子): a
        mistranslation however long the caption, even when a broader word (人) is also there."""
        en_only = [m for m in en if not any(m & other for other in zh)]
        zh_only = [m for m in zh if not any(m & other for other in en)]
        broader = self.lexicon.broader
        return any(
            broader.get(a) is not None and broader.get(a) == broader.get(b)
            for x in en_only
            for y in zh_only
            for a in x
            for b in y
        )

    def _mentioned(self, mention: frozenset[str], others: set[frozenset[str]]) -> bool:
        return any(
            self.lexicon.compatible(a, b) for other in others for a in mention for b in other
        )

    def _counts_disagree(self, ours: list, theirs: list) -> bool:
        """A thing counted on both sides with no common count: two dogs / 三只狗."""
        for value, concepts in ours:
            same_thing = [v for v, c in theirs if self._mentioned(concepts, {c})]
            if same_thing and value not in same_thing:
                return True
        return False

    def _check_pair(self, en: str, zh: str, dense: bool) -> tuple[list[str], str]:
        prefix = "" if dense else "short_"
        issues: list[str] = []
        normalized = False
        en, zh = (en or "").strip(), (zh or "").strip()
        if zh and self.config.traditional != "ignore":
            simplified = self.to_simplified.convert(zh)
            if simplified != zh:
                if self.config.traditional == "flag":
                    issues.append(prefix + CaptionIssue.ZH_TRADITIONAL)
                else:
                    zh, normalized = simplified, True
        en_toks = en_tokens(en)
        zh_toks = self.zh_tokens(zh)
        if not en:
            issues.append(prefix + CaptionIssue.EN_EMPTY)
        else:
            issues += self._language_issues(en, "en", prefix)
            issues += self._degeneration_issues(en, en_toks, "en", prefix, dense)
        if not zh:
            issues.append(prefix + CaptionIssue.ZH_EMPTY)
        else:
            issues += self._language_issues(zh, "zh", prefix)
            issues += self._degeneration_issues(zh, zh_toks, "zh", prefix, dense)
        en_words = sum(1 for t in en_toks if is_word(t)) if en else None
        zh_chars = len(HAN.findall(zh)) if zh else None
        zh_words = sum(1 for t in zh_toks if is_word(t)) if zh else None
        issues += self._length_issues(en_words, zh_chars, zh_words, prefix, dense)
        if en and zh:
            issues += self._agreement_issues(
                self.analyse_en(en_toks), self.analyse_zh(zh_toks), prefix
            )
        return [str(i) for i in issues], zh if normalized else None

    def check(
        self,
        caption_en: str | None,
        caption_zh: str | None,
        short_caption_en: str | None = None,
        short_caption_zh: str | None = None,
    ) -> QAResult:
        """QA of a dense pair, and of the short pair when either short caption is given."""
        issues, zh = self._check_pair(caption_en or "", caption_zh or "", dense=True)
        short_zh = None
        if short_caption_en is not None or short_caption_zh is not None:
            short_issues, short_zh = self._check_pair(
                short_caption_en or "", short_caption_zh or "", dense=False
            )
            issues += short_issues
        issues = list(dict.fromkeys(issues))
        return QAResult(
            ok=not issues,
            issues=issues,
            caption_zh=zh if zh is not None else caption_zh,
            short_caption_zh=short_zh if short_zh is not None else short_caption_zh,
            normalized_traditional=zh is not None or short_zh is not None,
        )


INVALID_RECORD = "invalid_record"


def qa_jsonl(lines, qa: CaptionQA):
    """QA of JSON lines `{id, caption_en, caption_zh[, short_caption_en, short_caption_zh]}`.

    Yields each record with `caption_ok` and `caption_issues` added (caption_zh normalised to
    Simplified where configured). A line that is not such a record yields
    `{line, caption_ok: false, caption_issues: [invalid_record]}` instead of stopping the run.
    """
    import json

    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
            if not isinstance(record, dict) or "id" not in record:
                raise ValueError("not an object with an id")
            for key in ("caption_en", "caption_zh", "short_caption_en", "short_caption_zh"):
                if record.get(key) is not None and not isinstance(record[key], str):
                    raise ValueError(f"{key} is not a string")
        except ValueError as e:
            yield {
                "line": number,
                "caption_ok": False,
                "caption_issues": [INVALID_RECORD],
                "error": str(e),
            }
            continue
        result = qa.check(
            record.get("caption_en"),
            record.get("caption_zh"),
            record.get("short_caption_en"),
            record.get("short_caption_zh"),
        )
        record["caption_zh"] = result.caption_zh
        if "short_caption_zh" in record:
            record["short_caption_zh"] = result.short_caption_zh
        yield {**record, "caption_ok": result.ok, "caption_issues": result.issues}
