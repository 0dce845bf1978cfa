"""Speaker roles and names in a news broadcast, from the turn structure and what is said.

The rules follow how broadcast news is spoken, not one programme's wording:

- the anchor opens and closes the item and hands over with the next speaker's name at the end
  of a turn ("... is in London with more. Anna?");
- a greeting at the start of a turn names the previous speaker ("Morning, Heather.") and a
  thank-you with a name names the one who just spoke ("Anna Cunningham, thanks very much");
- a name at the very end of a turn, just before the speaker changes, addresses the next speaker;
  a name in the middle of a turn addresses a listener who may not be in the recording at all;
- a quoted official follows a cue ("take a listen", "said", "heard from") that names them, and
  the video description often spells the name out ("John Kirby, spokesperson of ...");
- the correspondent holds the longest turns.

A name is only given when the speech or the description reveals it; a wrong name is worse than
none, so conflicting evidence leaves the name empty.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from rapidfuzz import fuzz

from retranscribe.transcript import Speaker, SpeakerRole, Transcript, VideoMetadata, Word

_NAME_TOKEN = r"[A-Z][a-z]+(?:['-][A-Z]?[a-z]+)*"
_FULL_NAME = re.compile(rf"\b({_NAME_TOKEN}(?:\s+{_NAME_TOKEN}){{1,2}})\b")

# Capitalised words that end or start sentences and are no one's name.
_NOT_NAMES = {
    "Again", "Also", "Alright", "And", "Anyway", "But", "Bye", "Correct", "Exactly", "Good", "Great",
    "Hello", "Hey", "Hi", "How", "Indeed", "Look", "Morning", "Evening", "Afternoon", "No", "Now",
    "Okay", "Ok", "Please", "Really", "Right", "So", "Sorry", "Sure", "Thanks", "Thank", "That",
    "The", "Then", "There", "This", "Today", "Tonight", "Tomorrow", "Too", "Well", "What", "When",
    "Where", "Who", "Why", "Yes", "Yeah", "Yesterday", "You", "I", "We", "They", "He", "She", "It",
    "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday", "God",
}
# Words that precede a name as a title and are not part of it.
_TITLES = {
    "President", "Prime", "Minister", "Secretary", "Senator", "Governor", "Mayor", "General",
    "Chancellor", "Ambassador", "Spokesman", "Spokeswoman", "Spokesperson", "Director", "Chief",
    "Mr", "Mrs", "Ms", "Dr", "Professor", "Premier", "King", "Queen", "Prince", "Judge", "Colonel",
    "Admiral", "Sir", "Dame", "Lord", "Lady", "Vice", "Deputy", "Foreign", "Defence", "Defense",
}

_GREETING = re.compile(
    rf"^(?i:(?:good\s+)?(?:morning|afternoon|evening|day)|hi|hello|thanks|thank\s+you)"
    # The name must close the greeting ("Morning, Heather."), not start the next sentence
    # ("Thanks. Shoppers here say ...").
    rf"(?:\s+(?i:so\s+much|very\s+much|for\s+having\s+me))?,?\s+({_NAME_TOKEN})\s*(?:[,.!?]|$)"
)
_NAME_THANKS = re.compile(
    rf"^({_NAME_TOKEN}(?:\s+{_NAME_TOKEN}){{0,2}}),?\s+(?i:thanks|thank\s+you)\b"
    rf"|^(?i:thanks|thank\s+you)(?:\s+(?i:so\s+much|very\s+much))?,\s+({_NAME_TOKEN}(?:\s+{_NAME_TOKEN}){{0,2}})\b"
)
# A name alone (or after a comma) at the very end of a turn: "... more. Anna?" / "... to you, Anna."
_HANDOVER = re.compile(rf"(?:^|[,.?!:\u2013\u2014-])\s*({_NAME_TOKEN})\s*[?.!]?\s*$")
_QUOTE_CUE = re.compile(
    r"(?i)\b(?:take\s+a\s+listen|have\s+a\s+listen|listen\s+to|let'?s\s+listen|here'?s\s+what|"
    r"take\s+a\s+look|heard\s+from|said|says|told|telling|explain(?:s|ed)?|spoke\s+to|speaking\s+to)\b"
)
# "NAME, TITLE" in a description: the title starts lowercase or with a title word.
_DESCRIPTION_PERSON = re.compile(
    rf"({_NAME_TOKEN}(?:\s+{_NAME_TOKEN}){{1,2}}),\s+(?:the\s+|a\s+|an\s+)?"
    rf"((?:[a-z][\w.-]*|{'|'.join(sorted(_TITLES))})[^,.;]*(?:\.[A-Z]\.?[^,.;]*)*)"
)

# Speakers with less speech than this share (and under MIN_SECONDS) are diarization debris.
MIN_SHARE = 0.03
MIN_SECONDS = 5.0


@dataclass
class _Turn:
    speaker: str
    words: list[Word] = field(default_factory=list)

    @property
    def start(self) -> float:
        return self.words[0].start

    @property
    def end(self) -> float:
        return self.words[-1].end

    @property
    def duration(self) -> float:
        return self.end - self.start

    @property
    def text(self) -> str:
        return " ".join(w.word.strip() for w in self.words).strip()

    def head(self, count: int = 10) -> str:
        return " ".join(w.word.strip() for w in self.words[:count]).strip()

    def tail(self, count: int = 30) -> str:
        # Words, not sentences: ASR punctuation is unreliable ("the U .S. National ...").
        return " ".join(w.word.strip() for w in self.words[-count:]).strip()


def _turns(transcript: Transcript) -> list[_Turn]:
    turns: list[_Turn] = []
    for word in transcript.words():
        if word.speaker is None or not word.word.strip():
            continue
        if not turns or turns[-1].speaker != word.speaker:
            turns.append(_Turn(word.speaker))
        turns[-1].words.append(word)
    return turns


def _strip_titles(name: str) -> str:
    tokens = name.split()
    while tokens and tokens[0] in _TITLES:
        tokens = tokens[1:]
    return " ".join(tokens)


def _is_name(token: str) -> bool:
    return bool(re.fullmatch(_NAME_TOKEN, token)) and token not in _NOT_NAMES


def _full_names(text: str) -> list[str]:
    names = []
    for match in _FULL_NAME.finditer(text):
        name = _strip_titles(match.group(1))
        tokens = name.split()
        if len(tokens) >= 2 and not any(t in _NOT_NAMES for t in tokens):
            names.append(name)
    return names


def description_people(metadata: VideoMetadata | None) -> dict[str, str]:
    """People the description introduces as "NAME, TITLE": name -> title."""
    if metadata is None:
        return {}
    people: dict[str, str] = {}
    for match in _DESCRIPTION_PERSON.finditer(metadata.description or ""):
        name = _strip_titles(match.group(1))
        if len(name.split()) >= 2 and not any(t in _NOT_NAMES for t in name.split()):
            people.setdefault(name, match.group(2).strip())
    return people


def _same_person(a: str, b: str) -> bool:
    """Two spellings of one name (ASR may misspell a surname slightly)."""
    ta, tb = a.split(), b.split()
    if ta[-1].lower() != tb[-1].lower() and fuzz.ratio(ta[-1].lower(), tb[-1].lower()) < 80:
        return False
    if len(ta) >= 2 and len(tb) >= 2:
        return fuzz.ratio(a.lower(), b.lower()) >= 80
    return True


def _canonical(name: str, known: list[str], preferred: list[str]) -> str:
    """The best spelling of ``name``: a description's spelling, else a full name from the
    speech for a first name when exactly one full name starts with it."""
    for candidate in preferred:
        if _same_person(name, candidate):
            return candidate
    if len(name.split()) == 1:
        matches = {full for full in known + preferred if full.split()[0] == name}
        if len(matches) == 1:
            return matches.pop()
    return name


@dataclass
class _Evidence:
    votes: dict[str, Counter] = field(default_factory=lambda: defaultdict(Counter))

    def add(self, speaker: str, name: str, weight: float = 1.0) -> None:
        self.votes[speaker][name] += weight


def _handover_name(turn: _Turn) -> str | None:
    match = _HANDOVER.search(turn.text)
    if match and _is_name(match.group(1)):
        return match.group(1)
    return None


def _quote_name(turn: _Turn, preferred: list[str]) -> str | None:
    """The person a quote cue at the end of ``turn`` introduces, if it names one."""
    tail = turn.tail(30)
    if not _QUOTE_CUE.search(tail):
        return None
    names = _full_names(tail)
    if not names:
        return None
    for name in reversed(names):
        if any(_same_person(name, p) for p in preferred):
            return name
    # Nearest to the hand-over: the quoted person is named last ("... spokesman John Kirby, who ...").
    return names[-1]


def label_speakers(transcript: Transcript, metadata: VideoMetadata | None = None) -> list[Speaker]:
    """Role (and name, where revealed) of every speaker in a transcript whose words carry
    speaker ids (``assign_speakers``). Speakers come back in order of first speech."""
    turns = _turns(transcript)
    order: list[str] = []
    for turn in turns:
        if turn.speaker not in order:
            order.append(turn.speaker)
    for speaker in transcript.speakers:
        if speaker.id not in order:
            order.append(speaker.id)
    if not turns:
        return [Speaker(id=s) for s in order]

    talk = Counter()
    for turn in turns:
        talk[turn.speaker] += turn.duration
    total = sum(talk.values()) or 1.0
    real = [s for s in order if talk[s] >= MIN_SECONDS or talk[s] / total >= MIN_SHARE]

    people = description_people(metadata)
    preferred = list(people)
    # Per turn: a name never runs across a speaker change ("... choreographed, Heather" +
    # "Anna Cunningham, thanks ..." is not one "Heather Anna Cunningham").
    spoken_names = [name for turn in turns for name in _full_names(turn.text)]

    evidence = _Evidence()
    handed_to: Counter = Counter()  # (from, to) hand-overs ending with a name
    cued: set[str] = set()
    for i, turn in enumerate(turns):
        previous = turns[i - 1] if i > 0 else None
        following = turns[i + 1] if i + 1 < len(turns) else None
        if following is not None and following.speaker != turn.speaker:
            name = _handover_name(turn)
            if name:
                evidence.add(following.speaker, name)
                handed_to[(turn.speaker, following.speaker)] += 1
            quoted = _quote_name(turn, preferred)
            # Only a speaker's first appearance counts: an anchor who speaks after a
            # correspondent's "... he said." is not being quoted.
            first_appearance = all(t.speaker != following.speaker for t in turns[: i + 1])
            if first_appearance and (quoted or _QUOTE_CUE.search(turn.tail(12))):
                cued.add(following.speaker)
            if quoted:
                # A full name introduced by a cue outweighs a lone word at a turn end (which
                # may be a misheard cue: "take a listen" came out as "Hey, Kalasin.").
                in_description = any(_same_person(quoted, p) for p in preferred)
                evidence.add(following.speaker, quoted, 3.0 if in_description else 2.0)
        if previous is not None and previous.speaker != turn.speaker:
            head = turn.head(12)
            greeting = _GREETING.search(head)
            if greeting and _is_name(greeting.group(1)):
                evidence.add(previous.speaker, greeting.group(1))
            thanks = _NAME_THANKS.search(head)
            if thanks:
                name = _strip_titles(thanks.group(1) or thanks.group(2))
                if name and all(_is_name(t) for t in name.split()):
                    evidence.add(previous.speaker, name)

    roles = _roles(turns, real, talk, handed_to, cued)
    names = _names(evidence, real, spoken_names, preferred)

    # The quoted official is often named only in the description ("NAME, spokesperson of ...")
    # while the speech says "the national security spokesman": accept the description's name
    # when it is the only person it introduces and the cue before the quote mentions the surname.
    officials = [s for s in real if roles.get(s) is SpeakerRole.QUOTED_OFFICIAL and not names.get(s)]
    if len(officials) == 1 and len(people) == 1:
        person = next(iter(people))
        surname = person.split()[-1].lower()
        cue_text = " ".join(
            turns[i - 1].text for i, t in enumerate(turns) if i > 0 and t.speaker == officials[0]
        ).lower()
        if any(fuzz.ratio(surname, w.strip(".,?!")) >= 80 for w in cue_text.split()):
            if person not in names.values():
                names[officials[0]] = person

    return [Speaker(id=s, role=roles.get(s, SpeakerRole.OTHER), name=names.get(s)) for s in order]


def _roles(
    turns: list[_Turn],
    real: list[str],
    talk: Counter,
    handed_to: Counter,
    cued: set[str],
) -> dict[str, SpeakerRole]:
    roles: dict[str, SpeakerRole] = {}
    real_turns = [t for t in turns if t.speaker in real]
    if len(real) < 2 or not real_turns:
        return roles
    total = sum(talk[s] for s in real) or 1.0

    def anchor_score(speaker: str) -> float:
        score = 0.0
        score += 2.0 if real_turns[0].speaker == speaker else 0.0
        score += 2.0 if real_turns[-1].speaker == speaker else 0.0
        score += sum(count for (giver, _), count in handed_to.items() if giver == speaker)
        # Anchors link; they do not hold the floor.
        score -= talk[speaker] / total
        score -= 2.0 if speaker in cued else 0.0
        return score

    anchor = max(real, key=anchor_score)
    roles[anchor] = SpeakerRole.ANCHOR
    rest = [s for s in real if s != anchor]
    uncued = [s for s in rest if s not in cued]
    main = max(uncued or rest, key=lambda s: talk[s])
    roles[main] = SpeakerRole.CORRESPONDENT
    for speaker in rest:
        if speaker == main:
            continue
        if speaker in cued:
            roles[speaker] = SpeakerRole.QUOTED_OFFICIAL
        elif handed_to.get((anchor, speaker)):
            roles[speaker] = SpeakerRole.CORRESPONDENT
        else:
            roles[speaker] = SpeakerRole.OTHER
    return roles


def _names(evidence: _Evidence, real: list[str], spoken: list[str], preferred: list[str]) -> dict[str, str]:
    """One name per speaker where the evidence agrees; a name claimed by two speakers goes to
    the one with more evidence, and a tie leaves both unnamed."""
    chosen: dict[str, tuple[str, float]] = {}
    for speaker in real:
        votes: Counter = Counter()
        for name, weight in evidence.votes.get(speaker, {}).items():
            votes[_canonical(name, spoken, preferred)] += weight
        # Merge a first name into the full name that starts with it ("Anna" into "Anna Cunningham").
        for name in list(votes):
            if len(name.split()) == 1:
                fuller = [n for n in votes if n != name and n.split()[0] == name]
                if len(fuller) == 1:
                    votes[fuller[0]] += votes.pop(name)
        if not votes:
            continue
        ranked = votes.most_common()
        if len(ranked) > 1 and ranked[1][1] * 2 > ranked[0][1]:
            continue  # conflicting names: leave empty
        chosen[speaker] = ranked[0]
    by_name: dict[str, list[str]] = defaultdict(list)
    for speaker, (name, _) in chosen.items():
        by_name[name].append(speaker)
    names: dict[str, str] = {}
    for name, speakers in by_name.items():
        speakers.sort(key=lambda s: chosen[s][1], reverse=True)
        if len(speakers) > 1 and chosen[speakers[0]][1] == chosen[speakers[1]][1]:
            continue
        names[speakers[0]] = name
    return names
