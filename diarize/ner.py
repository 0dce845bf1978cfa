"""Persons in text, from a real named-entity recogniser: spaCy's en_core_web_sm, embedded.

The model comes from a PyPI package, is checked file by file against the sha256s recorded in
``retranscribe.models`` and loaded from that verified folder, once per process. Nothing here
touches the network.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from functools import lru_cache

from wordfreq import zipf_frequency

MODEL = "en_core_web_sm"
# Entity labels that are never a person's name, whatever a rule's slot says.
NOT_PERSON = frozenset({"GPE", "LOC", "ORG", "FAC", "NORP", "EVENT", "PRODUCT", "WORK_OF_ART", "LAW", "LANGUAGE"})

_lock = threading.Lock()


@dataclass(frozen=True)
class Entity:
    text: str
    label: str
    start: int  # character offsets in the text given
    end: int


@lru_cache(maxsize=1)
def _nlp():
    import spacy

    from retranscribe.models import resolve_embedded

    # Only the entities are used: the parser and the lemmatizer cost time and change nothing.
    return spacy.load(resolve_embedded(MODEL), exclude=["parser", "lemmatizer"])


def load_recogniser() -> None:
    """Load the recogniser and the census names now rather than at their first use (the
    pipeline does it in a background thread while transcription runs)."""
    with _lock:
        _nlp()
    census_first_names()


def entities(text: str) -> list[Entity]:
    """Every entity spaCy finds in ``text``, in order."""
    return list(_entities(text))


@lru_cache(maxsize=4096)
def _entities(text: str) -> tuple[Entity, ...]:
    if not text.strip():
        return ()
    with _lock:  # spaCy pipelines are not documented as thread-safe
        doc = _nlp()(text)
    return tuple(Entity(e.text, e.label_, e.start_char, e.end_char) for e in doc.ents)


# Carrier sentences: a word alone ("Morning, Heather.") is too little context for the
# recogniser, so a candidate is also judged where a person's name fits best. Measured on this
# model: first names such as "Heather", "Priya", "Trevor" are persons in at least three of
# these, "Washington", "Senator", "Everyone" in none.
_CARRIERS = (
    "Thank you, {}.",
    "I asked {} what she thought.",
    "Over to you, {}.",
    "{} Smith said the plan would work.",
)


@lru_cache(maxsize=1)
def census_first_names() -> frozenset[str]:
    """First names of the 1990 US census (5,494, from the PyPI package ``names``, MIT): the
    small recogniser misses common ones out of context ("Sophie" reads as an organisation)."""
    from importlib import resources

    found: set[str] = set()
    for table in ("dist.female.first", "dist.male.first"):
        text = resources.files("names").joinpath(table).read_text(encoding="ascii")
        found.update(line.split()[0].lower() for line in text.splitlines() if line.strip())
    return frozenset(found)


@lru_cache(maxsize=4096)
def reads_as_place(name: str) -> bool:
    """Whether the recogniser takes ``name`` for a place (GPE, LOC, FAC) in any carrier."""
    for carrier in _CARRIERS:
        text = carrier.format(name)
        offset = carrier.index("{}")
        if any(e.label in ("GPE", "LOC", "FAC") and e.start < offset + len(name) and offset < e.end for e in _entities(text)):
            return True
    return False


# Zipf frequency (log10 of uses per billion words) from which a single word counts as common
# English: 4 is 10 per million ("heat" 4.9; names such as "Kirby" 3.7, "Okafor" 2.6). First names
# are common words too ("John" 5.4, "Hope" 5.4), so a census first name is refused only from 5.5
# on, where function words are ("may" 6.0, "will" 6.5, "my" 6.6).
COMMON_WORD_ZIPF = 4.0
FUNCTION_WORD_ZIPF = 5.5


@lru_cache(maxsize=4096)
def reads_as_person(name: str, known_first_names: frozenset[str] = frozenset()) -> bool:
    """Whether ``name`` is a person: the recogniser takes it for one in sentences where a
    name fits and never for a place or an organisation ("Washington", "CNN"), or it is a
    single first name of the census or of ``known_first_names`` (first names of persons
    this video names in full) that no carrier reads as a place ("Paris", "Georgia")."""
    if " " not in name:
        frequency = zipf_frequency(name.lower(), "en")
        if name.lower() in known_first_names and not reads_as_place(name):
            return True
        if name.lower() in census_first_names() and frequency < FUNCTION_WORD_ZIPF and not reads_as_place(name):
            return True
        if frequency >= COMMON_WORD_ZIPF:
            # A common word on its own ("Heat"), or a census name that is mostly a function word
            # ("My", "Will", "May"), is no evidence of a person unless the video names someone so
            # in full: the ASR's capitals on "My" and "Heat" made both names on the corpus.
            return False
    votes = 0
    for carrier in _CARRIERS:
        text = carrier.format(name)
        offset = carrier.index("{}")
        found = [e for e in _entities(text) if e.start < offset + len(name) and offset < e.end]
        if any(e.label in NOT_PERSON and name in e.text for e in found):
            return False
        votes += any(e.label == "PERSON" for e in found)
    return votes >= len(_CARRIERS) - 1

