"""Speaker roles and names in a news broadcast, from what is said at the turn boundaries.

News speech reveals who speaks in a few places, and only there:

- the end of a turn introduces or addresses the next speaker: a hand-off ("Anna Cunningham is in
  London with more. Anna?", "let's go to Tom in Berlin", "BBC's Mark Lowen reports", "over to
  you, Priya"), a live guest ("joining us now is Professor Jane Smith of ..."), or a quote cue
  ("... spokesman John Kirby told reporters. Take a listen.", "here's what she said");
- the start of a turn answers the previous speaker: a greeting or thanks with a name ("Morning,
  Heather.", "Anna Cunningham, thanks very much", "Thank you, Senator.");
- a speaker names themselves: a sign-off ("Jane Smith, CNN, Washington."), an introduction
  ("Good evening, I'm ...", "This is Diane in New Jersey").

A name must be a person to spaCy's named-entity recogniser (``diarize.ner``), so places and
organisations next to cue words never become names, and titles of any length stay outside it
("Prime Minister Keir Starmer" -> "Keir Starmer"). A name in the middle of a turn addresses a
listener who may not be in the recording at all and is never used.

The turns are read as the pipeline gives them, not as a script: words Whisper split without a
space are joined again ("Raman" "-Holt"), a short fragment that diarization cut off a turn goes
back to the voice whose sentence it is, and a name heard otherwise than the title or
description write it ("Marcus Delacroix Burn", captions "Della Croix Burn") takes their
spelling where its first name and its surname both sound alike, the heard words kept in the
evidence.

Roles need evidence just as names do: the anchor is the one who introduces others, a
correspondent is introduced as one (or signs off, or is thanked for a report), a quoted speaker
follows a quote cue and is an official, a guest or a member of the public by the words that
describe them. A recording without any of these (a meeting, a phone call) gets "other" for all.

Precision first: a wrong name is worse than none. Conflicting names leave the name empty, a
first name becomes a full name only where the same evidence links the two, and a spelling the
ASR alone produced with low confidence is kept only where the video's title or description, or
the captions, spell it the same. Each speaker's ``evidence`` records the rule and the words.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter, defaultdict
from functools import cached_property
from dataclasses import dataclass, field

from contextvars import ContextVar

import jellyfish
from rapidfuzz import fuzz
from wordfreq import zipf_frequency

from diarize import ner
from retranscribe.transcript import (
    CaptionTrack,
    Speaker,
    SpeakerRole,
    Transcript,
    VideoMetadata,
    Word,
    ends_sentence,
)

# First names of the persons the video names in full (title, description, speech): a vocative
# "Callum?" reads as a person when the description names "meteorologist Callum Reyes-Whitaker".
_KNOWN_FIRST_NAMES: ContextVar[frozenset[str]] = ContextVar("known_first_names", default=frozenset())
# Full names as the video's title and description spell them: a name heard in the speech that
# sounds like one of them takes its spelling ("Marcus Delacroix Burn" -> "Marcus Delacroix-Byrne").
_VIDEO_NAMES: ContextVar[tuple[str, ...]] = ContextVar("video_names", default=())
# Those of them that the title or description show to be persons (the recogniser's PERSON, or a
# cue only a person fits): a name heard like one of them is a person's whatever the recogniser
# makes of it in the speech. The others ("Medicine Hat" next to a comma) only lend a spelling.
_VIDEO_PERSONS: ContextVar[tuple[str, ...]] = ContextVar("video_persons", default=())

# Speakers with less speech than this share (and under MIN_SECONDS) are diarization debris.
MIN_SHARE = 0.03
MIN_SECONDS = 5.0
# An ASR word below this probability is a guess unless something else spells it the same.
GUESS_PROBABILITY = 0.5

# Words before a name that are a title or a description, never part of the name.
_TITLE_WORDS = {
    "president", "vice", "prime", "minister", "secretary", "senator", "sen", "governor", "gov", "mayor",
    "general", "gen", "chancellor", "ambassador", "spokesman", "spokeswoman", "spokesperson", "director",
    "chief", "mr", "mrs", "ms", "miss", "dr", "doctor", "professor", "prof", "premier", "king", "queen",
    "prince", "princess", "judge", "justice", "colonel", "col", "admiral", "adm", "sir", "dame", "lord",
    "lady", "deputy", "foreign", "defence", "defense", "home", "health", "finance", "interior", "state",
    "commissioner", "inspector", "detective", "superintendent", "sergeant", "sgt", "constable", "officer",
    "captain", "capt", "lieutenant", "lt", "major", "commander", "representative", "rep", "congressman",
    "congresswoman", "councillor", "councilman", "councilwoman", "leader", "speaker", "attorney", "sheriff",
    "pope", "father", "reverend", "rev", "rabbi", "imam", "bishop", "archbishop", "correspondent", "reporter",
    "editor", "anchor", "host", "presenter", "analyst", "economist", "executive", "ceo", "chairman", "chairwoman",
    "chair", "founder", "coach", "manager", "mp", "mep", "u.s.", "us", "uk", "u.k.", "un", "u.n.", "eu",
    "nato", "white", "house", "labour", "conservative", "democratic", "republican", "senior", "junior",
    "assistant", "associate", "national", "security", "political", "economics", "international", "chief's",
    "medical", "environment", "education", "transport", "trade", "justice", "energy", "climate", "science",
}
# Capitalised words that open or close sentences and are no one's name.
_NOT_NAMES = {
    "again", "also", "alright", "and", "anyway", "but", "bye", "correct", "exactly", "good", "great", "hello",
    "hey", "hi", "how", "indeed", "look", "morning", "evening", "afternoon", "no", "now", "okay", "ok",
    "please", "really", "right", "so", "sorry", "sure", "thanks", "thank", "that", "the", "then", "there",
    "this", "today", "tonight", "tomorrow", "too", "well", "what", "when", "where", "who", "why", "yes",
    "yeah", "yesterday", "you", "i", "we", "they", "he", "she", "it", "everyone", "everybody", "folks",
    "guys", "all", "both", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday",
    "god", "listen", "welcome", "i'm", "im", "i've", "i'll", "it's", "that's", "here's", "there's", "cheers", "absolutely", "certainly", "course", "sir", "madam", "ma'am",
    # Function words: never part of a name, though a recogniser that writes Title Case (base did
    # on three corpus items) capitalises them ("An Emergency Nurse", "Tom Dev Malhotra In").
    "a", "an", "of", "in", "at", "on", "for", "to", "from", "with", "by", "as", "or", "if", "is", "are", "was",
    "were", "be", "been", "his", "her", "their", "our", "my", "your", "its", "not", "after", "before", "into",
    "over", "under", "about", "than", "just", "some", "every", "these", "those", "here",
}

# What describes a person, by the role it implies. Checked on the words around a name.
_OFFICIAL = re.compile(
    r"(?i)\b(?:president|prime\s+minister|minister|secretary|senator|governor|mayor|chancellor|ambassador|"
    r"spokes(?:man|woman|person)|official|officials|commissioner|police|sheriff|constable|superintendent|"
    r"inspector|detective|congress(?:man|woman)?|representative|lawmaker|legislator|MP|MEP|councill?or|"
    r"council|ministry|department|agency|government|administration|white\s+house|pentagon|kremlin|"
    r"downing\s+street|general|admiral|colonel|military|army|navy|fire\s+chief|chief\s+constable|"
    r"attorney\s+general|prosecutor|judge|deputy|premier|cabinet|parliament|authority|authorities|"
    r"(?:returning|police|press|medical|election|electoral|probation|customs|health)\s+officer|"
    r"regulator|press\s+conference|told\s+reporters|in\s+a\s+statement|briefing|chief\s+executive|ceo|"
    r"chief\s+(?:medical|operating|financial)\s+officer|director|chair(?:man|woman|person)?\s+of|chair(?:s|ed)\s+the|"
    # The head of a school speaks for it (a teacher alone is one of the public).
    r"head\s*teacher|headmaster|headmistress|school\s+principal|principal\s+of)\b"
)
_GUEST = re.compile(
    r"(?i)\b(?:professor|prof|dr|doctor|analyst|expert|economist|researcher|scientist|historian|author|"
    r"lecturer|fellow|think\s+tank|university|institute|consultant|strategist|adviser|advisor|campaigner|"
    r"activist|lawyer|founder|head\s+of\s+research|epidemiologist|"
    r"virologist|physician|surgeon|meteorologist|forecaster|climatologist|journalist\s+and\s+author|"
    r"curator|archaeologist|architect|psychologist|sociologist|geologist|biologist|ecologist)\b"
)
_PUBLIC = re.compile(
    # ("locals", never the adjective: "the local growers' association" describes no one.)
    r"(?i)\b(?:residents?|locals|shoppers?|voters?|commuters?|parents?|neighbou?rs?|customers?|passengers?|"
    r"fans?|pensioners?|students?|workers?|farmers?|drivers?|owners?|shopkeepers?|homeowners?|tenants?|"
    r"families|mother|father|mum|dad|grandmother|grandfather|witness(?:es)?|bystanders?|survivors?|"
    r"people\s+here|runs\s+a|(?:has\s+|have\s+)?work(?:s|ed)\s+(?:at|in|as|on|for)|lives\s+(?:in|near|here)|who\s+lives|has\s+lived|"
    r"callers?|on\s+the\s+line|listeners?|viewers?|"
    r"one\s+(?:man|woman)|a\s+(?:man|woman)\s+who|member\s+of\s+the\s+public|taxpayers?|patients?|"
    r"nurse|teacher|waitress|waiter|barista|volunteer|protesters?|demonstrators?|riders?|runners?|cyclists?|"
    r"visitors?|tourists?|diners?|spectators?|renters?|roofers?|evacuees?|mourners?|motorists?|travell?ers?|"
    r"parishioners?|neighbours?|neighbors?|people\s+(?:we|i)\s+(?:spoke|talked)\s+to)\b"
)
_CORRESPONDENT = re.compile(r"(?i)\b(?:correspondent|reporter|editor|producer|reporting|journalist)\b")

_SPEECH_VERB = (
    r"(?:said|says|told|tells|explained|explains|added|insisted|insists|warned|warns|argued|argues|announced|announces|"
    r"admitted|admits|stressed|spoke|speaks|put\s+it|defended|described|questioned|asked|urged|called\s+on|appealed|responded|replied|"
    r"blamed|blames|critici[sz]ed|welcomed|rejected|denied|claimed|conceded|acknowledged|promised|pledged|vowed|cautioned|predicted|"
    r"(?:gave|had|offered|issued)\s+(?:this|these|his|her|their)\s+\w+)"
)
# A cue that points forward to the voice that comes next (not a report of something said before).
_FORWARD_CUE = re.compile(
    r"(?i)(?:take\s+a\s+listen|have\s+a\s+listen|let'?s\s+(?:take\s+a\s+)?listen|listen\s+to\s+(?:this|what|how)|"
    r"here'?s\s+(?:what|how|more|part\s+of)|here\s+is\s+(?:what|how|more|part\s+of)|this\s+is\s+(?:what|how)|"
    r"in\s+(?:his|her|their)\s+(?:own\s+)?words|had\s+this\s+to\s+say|put\s+it\s+(?:this\s+way|like\s+this)|"
    r"how\s+(?:she|he|they)\s+(?:put|described|explained)\s+it|:\s*$|"
    # "As she put it this morning:" with the colon lost: only where it ends the turn.
    r"\bas\s+(?:she|he|they)\s+(?:put\s+it|said|says)\b[^.?!,;]{0,30}[.:]?\s*$|"
    # A turn that ends on "listen" hands over to a voice, however the ASR heard the words
    # before it ("Take a listen." came out as "Hey, listen." on the seed).
    r"\blisten\s*[.!]?\s*$)"
)
# A cue whose pronoun stands for the person named just before: "Here's what she said.", "As he
# put it:", "In her own words."
_PRONOUN_CUE = re.compile(
    r"(?i)\b(?:(?:here'?s|here\s+is|this\s+is)\s+(?:what|how)\s+(?:she|he)\b|(?:as|how)\s+(?:she|he)\s+put\s+it\b|"
    r"in\s+(?:her|his)\s+(?:own\s+)?words\b|(?:she|he)\s+had\s+this\s+to\s+say\b)"
)
# The turn's last sentence reporting what the person named before said, right before a new
# voice: "She told the house the choices were hard." (the voice is hers, as after "Here's what
# she said"). "He told me what is left." is an interview given to the reporter, no statement.
_PRONOUN_SUBJECT = r"(?i)^(?:and\s+|but\s+)?(?:she|he)\s+(?:also\s+)?"
# An interview given to the programme, not a statement to the press: "told us", "spoke to me".
_TOLD_US = r"(?:(?:spoke|talked)\s+to\s+(?:us|me)|told\s+(?:us|me))"
_PRONOUN_REPORT = re.compile(rf"{_PRONOUN_SUBJECT}{_SPEECH_VERB}\b")
_PRONOUN_INTERVIEW = re.compile(rf"{_PRONOUN_SUBJECT}{_TOLD_US}\b")
# A person reported as speaking: "NAME told reporters ...", "NAME said in a statement ...".
# After the name: an apposition between commas, or an organisation ("NAME of the growers'
# federation said"), then the speech verb.
_QUOTE_AFTER = re.compile(
    rf"(?i)^(?:,[^,]{{0,80}},|,|\s+(?:of|from|at)\s+[^.?!;]{{1,60}}?)?\s+(?:who\s+)?(?:has\s+|had\s+|was\s+|is\s+)?(?:also\s+)?{_SPEECH_VERB}\b"
)
_QUOTE_BEFORE = re.compile(
    r"(?i)(?:heard\s+(?:\w+\s+){0,2}from|spoke\s+(?:\w+\s+){0,2}(?:to|with)|talked\s+(?:\w+\s+){0,2}(?:to|with)|asked|according\s+to|reached|caught\s+up\s+with|"
    r"interviewed|met)\s+(?:[\w.,'\u2019-]+\s+){0,7}$"
)
# An interview given to the programme, not a statement to the press.
_INTERVIEW_CUE = re.compile(rf"(?i)^(?:,[^,]{{0,80}},|,)?\s+{_TOLD_US}\b")
# The presenting team's own segments, handed over: "NAME has the forecast", "... with the sport"
# (the text right after the name).
_TEAM_SEGMENT = r"^,?\s+(?:has|have|with)\s+(?:the|your)\s+(?:forecast|weather|sports?|travel)\b"
# Where the one handed to is of the presenting team, not a reporter: "NAME is in the weather
# centre", "NAME has the forecast".
_PRESENTING_TEAM = re.compile(rf"(?i)\b(?:weather|sports?|news)\s+(?:centre|center|desk)\b|\bin\s+the\s+studio\b|{_TEAM_SEGMENT}")
# A hand-off to a reporter or a live guest: the text right after the name.
_HANDOFF_AFTER = [
    ("is-in", r"^,?\s+(?:is|joins\s+us|joined\s+us|has\s+been|was|is\s+standing\s+by|is\s+live|is\s+there)\s+(?:live\s+|standing\s+by\s+|now\s+)?(?:in|at|from|outside|inside|near|on|there|for\s+us)\b"),
    # ("NAME is with us" is left to "joins-us": a reporter or a guest, as the title says.)
    ("is-in", r"^,?\s+(?:is|are)\s+(?:standing\s+by|live|on\s+the\s+scene)\b"),
    ("has-more", r"^,?\s+(?:has|have|brings\s+us|with)\s+(?:more|the\s+latest|the\s+details|the\s+(?:numbers|figures|analysis|reaction)|(?:the|this|that)\s+(?:story|report))"),
    ("has-more", _TEAM_SEGMENT),
    # ("NAME, reporting from PLACE." ends a report: the speaker's own sign-off, not a hand-off.)
    ("reports", r"^,?\s+(?:reports|sent\s+(?:us\s+)?this|filed\s+this|takes\s+up\s+the\s+story|got\s+a\s+(?:first\s+|closer\s+)?look|takes\s+a\s+(?:closer\s+)?look)"),
    ("went-to", r"^,?\s+(?:explains|looks\s+at|visited|went\s+(?:to|(?:out|along)\s+with)|travell?ed\s+to|"
                r"spent\s+(?:a|the)\s+(?:day|night|morning|week)|has\s+been\s+out\s+with|joined\s+(?:the|a)\s+\w+)"),
    ("is-in", r"^,?\s+(?:is|has\s+been|'s\s+been)\s+(?:covering|following|reading|looking\s+(?:at|into)|watching|tracking|monitoring|investigating|digging|at|to|outside|speaking\s+to\s+people)\b"),
    ("joins-us", r"^,?\s+(?:joins|is\s+joining|is\s+with)\s+(?:us|me)\b"),
    # "NAME of Colorado voted for it, and she joins us now"
    ("joins-us", r"^[^.?!]{0,80}?\b(?:and\s+)?(?:she|he)\s+(?:joins|is\s+joining|is\s+with)\s+(?:us|me)\b"),
    ("welcome", r"^,?\s+(?:welcome\b|good\s+to\s+(?:have|see)\s+you|thanks\s+for\s+(?:joining|being|coming)|thank\s+you\s+for\s+(?:joining|being|coming))"),
]
# The text right before the name (its title or description may sit between).
_HANDOFF_BEFORE = [
    ("go-to", re.compile(r"(?i)(?:let'?s\s+go|we\s+go|going|turn|cross|head|go)(?:\s+(?:now|live|over|straight|back|first))*\s+to\s+(?:(?:the|our)\s+)?(?:[\w.'\u2019-]+\s+){0,5}$")),
    ("over-to", re.compile(r"(?i)\bover\s+to\s+(?:you,?\s+)?(?:[\w.'\u2019-]+\s+){0,4}$")),
    ("joining-us", re.compile(r"(?i)\b(?:joining\s+(?:us|me)|(?:i'?m\s+|we'?re\s+|are\s+)?joined\s+(?:now\s+|live\s+|here\s+|in\s+the\s+studio\s+)*by|with\s+(?:us|me)\s+(?:now\s+|here\s+|in\s+the\s+studio\s+)?(?:is|are)|with\s+me\s+now\s+as|(?:us|me)\s+now\s+is|welcome\s+to\s+the\s+(?:programme|program|show))\b[^.?!]*?$")),
    # "On the line from Rome is the new champion, NAME": a caller or an interviewee on the phone.
    ("on-the-line", re.compile(r"(?i)\bon\s+the\s+(?:line|phone)(?:\s+(?:now\s+)?(?:from|in)\s+[\w.'\u2019-]+(?:\s+[A-Z][\w'\u2019-]*)?)?\s+(?:now\s+)?(?:is|are)\b[^.?!]*?$")),
    ("outlet-s", re.compile(r"\b(?!(?:Let|It|That|Here|There|What|He|She|Who|Where|How)'s)[A-Z][\w&.-]*(?:\s+[A-Z][\w&.-]*)*['\u2019]s\s+(?:[\w.'\u2019-]+\s+){0,4}$")),
    ("our", re.compile(r"(?i)\bour\s+(?:[\w.'\u2019-]+\s+){0,4}(?:correspondent|reporter|editor)\s*,?\s+$")),
]
_GREETING_HEAD = re.compile(
    r"^(?i:(?:good\s+)?(?:morning|afternoon|evening|day)|hi|hello|hey|thanks|thank\s+you|cheers)"
    r"(?i:\s+(?:so\s+much|very\s+much|for\s+having\s+me|for\s+that|again))?\s*,?\s+(?P<name>[^,.?!]+?)\s*(?:[,.!?]|$)"
)
_THANKS = r"(?i:thanks|thank\s+you|many\s+thanks)\b"
# The turn after a voice heard once, opening with who that was: "That was NAME." / "The
# museum's director, NAME." (the ASR may go on after a comma: "..., NAME, the sketch is ...",
# and leave out the title's comma: "The museum's director NAME, the sketch is ...").
_NAMED_AFTER = re.compile(
    r"^(?:(?i:that\s+was)\s+(?P<desc>(?:[\w'\u2019-]+\s+){0,5}?)|(?P<title>(?:[\w'\u2019-]+\s+){0,4}[\w'\u2019-]+),\s+"
    # (without the comma, the title ends on a lower-case word)
    r"|(?P<bare_title>(?:[\w'\u2019-]+\s+){0,4}[a-z][\w'\u2019-]*)\s+(?=[A-Z]))"
    r"(?P<name>[A-Z][^,.?!]*?)\s*(?:[.?!]|$|"
    # "That was NAME, a spokesperson for the transport department.": who, after the name.
    r"(?<=\S),\s+(?P<appos>(?i:an?|the)\s+[^,.?!]{3,80}?)\s*(?:[.?!,]|$)|"
    r",\s+(?!(?:who|which|whose|says|said|told|tells|explains|added|adds|has|had|is|was|and|an?|the\s+\w+\s+of)\b))"
)
_NAME_THANKS = re.compile(
    r"^(?P<name>[A-Z][^,.?!]*?)(?:\s+(?:in|at|from|live\s+in|reporting\s+from)\s+[^,.?!]+)?[,.]?\s+" + _THANKS + r"(?!\s+to\b)"  # not "Putin, thanks to ..."
)
_SELF_INTRO = re.compile(
    r"(?:^|[.?!,]\s+|\b(?i:and)\s+)(?i:i'?m|i\s+am|my\s+name\s+is|this\s+is|(?:here\s+)?with\s+me,?)\s+(?P<name>[A-Z][^,.?!]*?)"
    # The name ends at a full stop, or where the next sentence starts with a capitalised
    # determiner or pronoun that Whisper wrote without one ("I'm NAME The Greens have won"), or
    # with a determiner no name holds, whatever its case ("And I'm NAME our top story ...").
    r"(?=\s*(?:[,.?!]|$|\s+(?i:in|from|at|for|with|and|reporting|here|our|the|tonight|now)\b|\s+(?:The|A|An|It|We|They|He|She|This|Our|My)\s))"
)
# The prepositions a sign-off's place may follow ("NAME, OUTLET, at the harbour wall").
_PLACE_PREPOSITION = r"(?i:in|at|on|outside|near|from)"
_SIGN_OFF = re.compile(
    r"(?:^|[.?!]\s+)(?:(?i:for)\s+[^,.?!]+,\s+)?(?:(?i:i'?m|this\s+is)\s+)?(?P<name>[A-Z][^,.?!]+?),\s+"
    rf"(?:(?i:for)\s+)?(?P<outlet>[A-Z][^,.?!]*?)(?:,\s+(?P<place>[A-Z][^,.?!]*?|{_PLACE_PREPOSITION}\s+[^,.?!]+?))?\s*\.?$"
)
# The words of a sign-off's place that are no part of its name ("at the harbour wall").
_PLACE_LEAD = re.compile(rf"^{_PLACE_PREPOSITION}\s+(?i:the\s+)?")
_FOR_OUTLET_IM = re.compile(r"(?:^|[.?!]\s+)(?i:for)\s+(?P<outlet>[A-Z][^,.?!]*?),\s+(?i:i'?m|this\s+is)\s+(?P<name>[A-Z][^,.?!]*?)(?:\s+(?:in|at)\s+[^,.?!]+)?\s*\.?$")
# Whisper may end the sentence before it with a comma ("... on Monday, NAME reporting from PLACE.").
_REPORTING_FROM = re.compile(r"(?:^|[.?!,]\s+)(?P<name>[A-Z][^,.?!]+?),?\s+(?i:reporting\s+(?:from|for)|for\s+[A-Z][^,.?!]*\s+in)\b[^.?!]*\.?$")
_VOCATIVE_END = re.compile(r"(?:^|[,.?!:\u2013\u2014-])\s*(?P<name>[A-Z][^,.?!]*?)\s*(?P<end>[?!.]?)\s*$")
_NEWS_OPENER = re.compile(
    r"(?i)^(?:good\s+(?:morning|afternoon|evening)|welcome\s+(?:back|to)|hello\s+and\s+welcome|"
    r"(?:this\s+is|you'?re\s+watching)\s+\w+|(?:in\s+the\s+news|our\s+top\s+story|breaking\s+news|"
    r"internationally|tonight|today)\b)"
)
_PROGRAMME = re.compile(r"(?i)\b(?:you'?re\s+(?:listening\s+to|watching)|welcome\s+to|this\s+is)\b")
_WITH_ME = re.compile(r"(?i:\bwith\s+me),?\s+(?P<name>[A-Z][^,.?!]*?)(?=\s*(?:[,.?!]|$))")
_REPORT_THANKS = re.compile(
    r"(?i)\b(?:thanks?(?:\s+you)?\s+(?:very\s+much\s+)?for\s+(?:that|your|the)\s+(?:report|update|analysis))"
    # "..., thanks very much, from London this morning": a reporter somewhere else
    r"|\b(?:thanks?(?:\s+you)?(?:\s+(?:very|so)\s+much)?),?\s+(?:for\s+joining\s+us\s+)?(?:live\s+)?from\s+[A-Z]"
)
_UNNAMED_REPORTER = re.compile(
    r"(?i)\b(?:our|my)\s+(?:[\w-]+\s+){0,3}(?:correspondent|reporter|editor)\s+(?:has|is|joins|reports|brings|sent|filed)"
    # "Education correspondent Priya salt reports.": a name the recogniser garbled into common
    # words still stands between the title and the hand-off.
    r"|\b(?:correspondent|reporter|editor)\s+(?:[\w'\u2019-]+\s+){1,3}reports\s*[.!]?$"
)
# People in general, just before a vox pop: "Riders we spoke to were not impressed."
_PUBLIC_VOICES = re.compile(
    r"(?i)^(?:[\w-]+,\s+)?(?:but\s+|and\s+|not\s+everyone\s+|many\s+|most\s+|some\s+)?(?:[\w-]+\s+){0,3}?"
    r"(?:residents|locals|shoppers|voters|commuters|parents|neighbou?rs|customers|passengers|fans|riders|patients|"
    r"callers|listeners|people|workers|families|students|visitors|drivers|farmers|everyone)\b[^.?!]*"
    r"\b(?:(?:we|i)\s+(?:spoke|talked)\s+to|told\s+(?:us|me)|say|said|were|are|agreed|disagreed)\b"
)
# An unnamed voice described before it speaks: "One woman told me ...", "I asked one voter ...".
# Never a text: "In a statement, the councillor ... said" is read out, not heard. Nor a clause
# with a subject of its own ("... for a new hip, she told me ...": Whisper's comma for a full stop).
_WRITTEN_WORDS = r"(?:statement|letter|post|email|e-mail|report|press\s+release|memo|note|tweet|message|document|filing|ruling)s?"
_DESCRIBED_VOICE = re.compile(
    r"(?i)\b(?:one|a|an|another|some|several|many)\s+(?!(?:[\w-]+\s+){0,2}" + _WRITTEN_WORDS + r"\b)(?:[\w-]+\s+){0,2}?(?P<who>[\w-]+)\b(?:(?!,\s+(?:she|he|they)\b)[^.?!]){0,60}?\b"
    rf"(?:{_SPEECH_VERB}|how\s+(?:she|he|they)\s+felt|what\s+(?:she|he|they)\s+(?:thought|think|made))\b"
    r"|\b(?:asked|spoke\s+to|talked\s+to|met)\s+(?:one|a|an|another|some)\s+(?:[\w-]+\s+){0,2}?(?P<who2>[\w-]+)\b"
)


@dataclass
class _Turn:
    index: int
    speaker: str
    words: list[Word] = field(default_factory=list)

    @property
    def duration(self) -> float:
        return self.words[-1].end - self.words[0].start

    @property
    def text(self) -> str:
        return " ".join(_joined(self.words))

    # Words that diarization put on the wrong side of a speaker change: the end of a cue that
    # spilled into the next turn ("... Take" | "a listen. Yeah, look ...").
    spill_in: list[str] = field(default_factory=list)  # appended to this turn's end
    skip_head: int = 0  # words at this turn's start that belong to the previous turn

    @property
    def own_words(self) -> list[Word]:
        return self.words[self.skip_head:]

    def sentences(self) -> list[str]:
        out: list[list[str]] = [[]]
        for token in _joined(self.own_words) + self.spill_in:
            out[-1].append(token)
            if ends_sentence(token):
                out.append([])
        return [" ".join(s) for s in out if s]


@dataclass
class _Clue:
    """One piece of evidence about one speaker: a name or a role, the rule, the words."""

    speaker: str
    rule: str
    words: str
    turn: int
    name: str | None = None
    role: SpeakerRole | None = None
    weight: float = 1.0

    def record(self) -> dict:
        out = {"rule": self.rule, "words": self.words, "turn": self.turn}
        if self.name:
            out["name"] = self.name
        if self.role:
            out["role"] = self.role.value
        return out


# Whisper splits a hyphenated name, a number or a percentage after the character that joins it
# (" Raman" "-Holt", " 11" ",000", " 4" "%"), the second part without a leading space: read
# apart, the name is cut in two ("Priya Raman" then "-Holt"). A word that is punctuation alone
# (a dash between clauses) stays apart.
_CONTINUES_WORD = re.compile(r"^(?:[-,.]\w|%)")


def _written_words(words: list[Word]) -> list[list[Word]]:
    """The words as written, each a group of the recogniser's words: a word split off without
    a space rejoins the one before it ("Raman" + "-Holt")."""
    groups: list[list[Word]] = []
    for word in words:
        text = word.word.strip()
        if not text:
            continue
        if groups and not word.word[:1].isspace() and _CONTINUES_WORD.match(text):
            groups[-1].append(word)
        else:
            groups.append([word])
    return groups


def _joined(words: list[Word]) -> list[str]:
    """The words as written ("Raman" + "-Holt" -> "Raman-Holt")."""
    return ["".join(w.word.strip() for w in group) for group in _written_words(words)]


def _turns(transcript: Transcript) -> list[_Turn]:
    turns: list[_Turn] = []
    for word in transcript.words():
        if word.speaker is None or not word.word.strip():
            continue
        if not turns or turns[-1].speaker != word.speaker:
            turns.append(_Turn(len(turns), word.speaker))
        turns[-1].words.append(word)
    turns = _without_interjections(turns)
    turns = _fragments_rejoined(_tails_handed_on(turns))
    # A turn that stops mid-sentence while the next one opens with a short fragment ending a
    # sentence: the fragment is the end of this turn (diarization boundaries are ~0.5 s off).
    # Where the next turn opens in lower case, the recogniser heard one sentence across the
    # change of voice, and a longer fragment is this turn's too ("... has worked on this" |
    # "quay for thirty one years.").
    for turn, following in zip(turns, turns[1:]):
        if ends_sentence(turn.words[-1].word) or turn.words[-1].word.rstrip().endswith((":", ",")):
            continue
        reach = MAX_FRAGMENT_WORDS if _opens_mid_sentence(following) else 3
        for count, word in enumerate(following.words[:reach], start=1):
            if ends_sentence(word.word):
                if count < len(following.words):
                    turn.spill_in = _joined(following.words[:count])
                    following.skip_head = count
                break
    return turns


# A turn this short that ends no sentence, between two other voices, whose next voice goes on
# with the same sentence, is the start of that voice's turn: diarization boundaries are ~0.5 s
# off, and the first words of a soundbite or an answer fall on the wrong side ("Not" |
# "everyone in the gallery agreed.", "The Transport Department has not changed" | "its line ...").
MAX_FRAGMENT_WORDS = 8
# Words after a turn's last sentence that end no sentence, up to this many, open the next turn
# when it goes on with their sentence ("... not good enough. 4" | "% when prices ...").
MAX_TAIL_WORDS = 3


def _opens_mid_sentence(turn: _Turn) -> bool:
    """Whether a turn starts inside a sentence: a lower-case word, or a "%" or "," cut off."""
    first = _joined(turn.words)[0]
    return first[:1] in ("%", ",", ".") or first[:1].isalpha() and first[:1].islower()


def _names_someone(tokens: list[str]) -> bool:
    return any(t[:1].isupper() and ner.reads_as_person(_clean(t), _KNOWN_FIRST_NAMES.get()) for t in map(_clean, tokens) if t)


# Words no sentence ends on: a turn's tail that stops on one goes on in the next turn ("...
# reports. From the first of" | "April, nobody ...", where "April," is no vocative).
_NEVER_LAST = {"a", "an", "the", "of", "to", "from", "with", "by", "and", "or", "but", "our", "my", "your", "their", "its"}


def _tails_handed_on(turns: list[_Turn]) -> list[_Turn]:
    """The words after a turn's last full sentence go to the next voice when that voice goes on
    with their sentence, or they end on a comma or a word no sentence ends on, and they name
    no one (a vocative stays)."""
    for turn, following in zip(turns, turns[1:]):
        groups = _written_words(turn.words)
        tokens = ["".join(w.word.strip() for w in g) for g in groups]
        ends = [k for k, token in enumerate(tokens) if ends_sentence(token)]
        if not ends:
            continue
        tail = len(tokens) - 1 - ends[-1]
        unfinished = _clean(tokens[-1]).lower() in _NEVER_LAST and not tokens[-1].endswith(",")
        if not 0 < tail <= MAX_TAIL_WORDS * (2 if unfinished else 1) or _names_someone(tokens[-tail:]):
            continue
        if unfinished or _opens_mid_sentence(following) or tokens[-1].endswith(","):
            moved = [w for g in groups[-tail:] for w in g]
            del turn.words[-len(moved):]
            following.words[:0] = moved
    return turns


def _fragments_rejoined(turns: list[_Turn]) -> list[_Turn]:
    """Short fragments between two other voices joined to the voice whose sentence they are
    part of: the next one when it goes on with the sentence, else the previous one when it
    broke off mid-sentence (a hand-back "..., Count Centre," | "Léo" | "Graham, it has ...")."""
    kept: list[_Turn] = []
    for index, turn in enumerate(turns):
        following = turns[index + 1] if index + 1 < len(turns) else None
        tokens = _joined(turn.words)
        between = kept and following is not None and kept[-1].speaker != turn.speaker != following.speaker
        if between:
            if not ends_sentence(tokens[-1]) and len(tokens) <= MAX_FRAGMENT_WORDS and _opens_mid_sentence(following):
                following.words[:0] = turn.words
                continue
            if len(tokens) <= MAX_INTERJECTION_WORDS and not ends_sentence(_joined(kept[-1].words)[-1]):
                kept[-1].words.extend(turn.words)
                continue
        if kept and kept[-1].speaker == turn.speaker:
            kept[-1].words.extend(turn.words)
            continue
        kept.append(turn)
    for position, turn in enumerate(kept):
        turn.index = position
    return kept


# Words another voice drops into a speaker's turn ("Right.", a misheard "Trevor,"): no
# hand-off, greeting or introduction is that short.
MAX_INTERJECTION_WORDS = 2


def _without_interjections(turns: list[_Turn]) -> list[_Turn]:
    """Turns with each interjection removed and the turn it interrupted joined up again (on the
    seed, one ASR run gave the correspondent a one-word "Trevor," inside the official's answer,
    which then read as a hand-over to "Trevor")."""
    kept: list[_Turn] = []
    index = 0
    while index < len(turns):
        turn = turns[index]
        interrupts = (
            kept
            and index + 1 < len(turns)
            and len(turn.words) <= MAX_INTERJECTION_WORDS
            and kept[-1].speaker == turns[index + 1].speaker != turn.speaker
        )
        if interrupts:
            kept[-1].words.extend(turns[index + 1].words)
            index += 2
            continue
        kept.append(turn)
        index += 1
    for position, turn in enumerate(kept):
        turn.index = position
    return kept


def _clean(token: str) -> str:
    return token.strip(".,;:!?\"'()[]\u201c\u201d\u2018\u2019")


# Honorifics no name contains: whatever stands before one describes the person ("Volcanologist
# Dr NAME", "Chief Medical Officer Professor NAME").
_HONORIFICS = {"dr", "doctor", "professor", "prof", "mr", "mrs", "ms", "mx", "miss", "sir", "dame"}


def _strip_title(name: str) -> str:
    tokens = [t for t in name.split() if t]
    honorific = [k for k, t in enumerate(tokens) if _clean(t).lower().rstrip(".") in _HONORIFICS]
    if honorific:
        tokens = tokens[honorific[-1] + 1 :]  # none left: a description cut off before the name
    while tokens and (_clean(tokens[0]).lower() in _TITLE_WORDS or _clean(tokens[0]).lower().rstrip(".") in _TITLE_WORDS):
        tokens = tokens[1:]
    # A possessive or trailing punctuation is not part of a name ("Kirby's").
    if tokens:
        tokens[-1] = re.sub(r"(?:'s|\u2019s)$", "", tokens[-1])
    return " ".join(_clean(t) if i == len(tokens) - 1 else t.strip(",;:") for i, t in enumerate(tokens)).strip()


def _title_of(name: str) -> str:
    """The title words that precede the name in ``name`` ("Senator" in "Senator Warren")."""
    tokens = name.split()
    title = []
    for token in tokens:
        if _clean(token).lower().rstrip(".") in _TITLE_WORDS:
            title.append(token)
        else:
            break
    return " ".join(title)


_PARTICLES = {"van", "von", "der", "den", "de", "del", "della", "da", "di", "du", "dos", "das", "la", "le", "bin", "ibn", "al", "el", "ter", "ten", "y"}


def _looks_like_name(name: str) -> bool:
    tokens = name.split()
    if not tokens or len(tokens) > 5:
        return False
    if not tokens[0][:1].isupper() or not (tokens[-1][:1].isupper() or re.match(r"^(?:al|el|bin|ibn|van|von|de|da|di|du|le|la)-[A-Z]", tokens[-1])):
        return False
    for token in tokens:
        bare = _clean(token)
        if bare.lower() in _NOT_NAMES or bare.lower() in _TITLE_WORDS and len(tokens) == 1:
            return False
        if not (bare[:1].isupper() or bare.lower() in _PARTICLES or re.match(r"^(?:al|el|bin|ibn|van|von|de|da|di|du|le|la)-[A-Z]", bare)):
            return False
        if any(ch.isdigit() for ch in bare):
            return False
    return True


_HYPHENATED_REST = re.compile(r"(?:-[A-Z\u00c0-\u00de][\w'\u2019]*)+")


class _Persons:
    """Person names the recogniser finds in a text, with their character spans."""

    def __init__(self, text: str):
        self.text = text
        self.entities = [self._whole(e) for e in ner.entities(text)]
        self.persons = [e for e in self.entities if e.label == "PERSON"]

    def _whole(self, entity: ner.Entity) -> ner.Entity:
        """A person's span with the rest of a hyphenated surname the model cut off
        ("Anjali Rasmussen" of "Anjali Rasmussen-Obi")."""
        rest = _HYPHENATED_REST.match(self.text, entity.end) if entity.label == "PERSON" else None
        if rest is None:
            return entity
        return ner.Entity(entity.text + rest.group(0), entity.label, entity.start, rest.end())

    def labels_at(self, start: int, end: int) -> set[str]:
        return {e.label for e in self.entities if e.start < end and start < e.end}

    def person_in(self, start: int, end: int) -> ner.Entity | None:
        """The person entity inside [start, end), if the span holds one and nothing else."""
        inside = [e for e in self.persons if e.start >= start - 1 and e.end <= end + 1]
        if len(inside) == 1:
            return inside[0]
        return None


def _person_name(
    candidate: str,
    persons: _Persons | None = None,
    start: int = 0,
    context_places: set[str] = frozenset(),
    strong_slot: bool = False,
) -> str | None:
    """``candidate`` (which may carry a title) as a person's name, or None: it must look like a
    name, and the recogniser must take it for a person (in its own text where given, else in
    sentences where only a name fits) and never for a place or an organisation. In a strong
    slot ("I'm ...", "... is in London with more") a full name the recogniser does not know
    is enough, as long as nothing takes it for a place or an organisation.

    In its text, the name is the words around it that sound like a full name of the video's
    title or description, as many as fit (the recogniser's span may hold part of a name heard
    in several words: "Josée La" of "Josée La Frenier Pike", "Okon Kwo Lyle" of "Mairead Okon Kwo
    Lyle"); one that sounds like a person the description names is a person's even where the
    recogniser doubts it in the speech."""
    name = _strip_title(candidate)
    if persons is None or not name:
        return _checked_person_name(candidate, persons, start, context_places, strong_slot)
    offset = start + max(candidate.find(name.split()[0]), 0)
    heard = _video_name_around(persons.text, offset, offset + len(name), _VIDEO_PERSONS.get())
    if heard:
        return heard
    checked = _checked_person_name(candidate, persons, start, context_places, strong_slot)
    return checked and (_video_name_around(persons.text, offset, offset + len(name), _VIDEO_NAMES.get()) or checked)


def _video_name_around(text: str, begin: int, end: int, among: tuple[str, ...]) -> str | None:
    """The video name that words overlapping ``text[begin:end]`` sound like: from a capitalised
    word up to two words before it ("Mairead" + "Okon Kwo Lyle"; "Gwendolyn" + "actor Berg",
    a surname the ASR heard as a common word and a name) to a word inside it ("Vancouver Ines
    Katsaros-Webb" without its comma), the earliest start that fits."""
    starts, position = [m.start() + begin for m in re.finditer(r"(?<!\S)\S", text[begin:end])], begin
    for _ in range(2):
        before = re.search(r"([\w'\u2019-]+) +$", text[:position])
        if not before:
            break
        position = before.start(1)
        if _NAME_TOKEN.fullmatch(before.group(1)):
            starts.insert(0, position)
    for start in starts:
        heard = _video_name_at(text, start, among)
        if heard and start + len(heard) > begin:
            return heard
    return None


def _checked_person_name(
    candidate: str,
    persons: _Persons | None,
    start: int,
    context_places: set[str],
    strong_slot: bool,
) -> str | None:
    name = _strip_title(candidate)
    if not name or not _looks_like_name(name):
        return None
    if name in context_places:
        return None
    if len(name.split()) == 1:
        # In running text this small model labels unfamiliar first names at random ("Morning,
        # Priya, investors ..." gives ORG); a single word is judged out of its context alone.
        # In a slot only a person fits, a first name of someone the video names in full is that
        # person's even where the small model reads it as a place ("Eilidh").
        if strong_slot and name.lower() in _KNOWN_FIRST_NAMES.get():
            return name
        return name if ner.reads_as_person(name, _KNOWN_FIRST_NAMES.get()) else None
    if not any(_uncommon_or_first_name(t) for t in name.split()):
        # Common words, none a first name: a place or a thing the recogniser may still label
        # PERSON ("Broken Arrow", "Medicine Hat", "Storm Ingrid" is only half a name).
        return None
    offset = start + max(candidate.find(name.split()[0]), 0)
    if persons is not None:
        entity = persons.person_in(offset, offset + len(name))
        if entity is not None:
            stripped = _strip_title(entity.text)
            # The recogniser's span may drop a hyphenated or particle part; keep the longer.
            if len(name) >= len(stripped) and stripped in name:
                return name
            return stripped if _looks_like_name(stripped) else None
        labels = persons.labels_at(offset, offset + len(name))
        # Unfamiliar full names come out as organisations in context; in a slot where only a
        # person fits, only a place counts against them.
        against = labels & {"GPE", "LOC"} if strong_slot else labels & ner.NOT_PERSON
        if against and not ner.reads_as_person(name):
            return None
    if ner.reads_as_person(name):
        return name
    # Unfamiliar full names come out as organisations ("Amara Lindqvist-Osei" is ORG); in a
    # slot only a person fits, that is no evidence against them, a place is.
    if strong_slot and not ner.reads_as_place(name):
        return name
    return None


@dataclass
class _Context:
    turns: list[_Turn]
    places: set[str]
    first_turn: dict[str, int]

    def first_appearance(self, turn: _Turn) -> bool:
        return self.first_turn[turn.speaker] == turn.index

    @cached_property
    def turns_per_speaker(self) -> Counter:
        return Counter(t.speaker for t in self.turns)

    def heard_once(self, turn: _Turn) -> bool:
        return self.turns_per_speaker[turn.speaker] == 1

    def inside_a_report(self, turn: _Turn) -> bool:
        """Whether ``turn`` is a soundbite inside a report: one of a run of voices heard once
        each, between two turns of the same speaker (a reporter's package: "... led the
        rescue." chief, a miner's daughter, the reporter again)."""
        if not self.heard_once(turn):
            return False
        before = turn.index - 1
        while before >= 0 and self.heard_once(self.turns[before]):
            before -= 1
        after = turn.index + 1
        while after < len(self.turns) and self.heard_once(self.turns[after]):
            after += 1
        if before < 0 or after >= len(self.turns):
            return False
        reporter = self.turns[before].speaker
        # Voices between two turns of the one who opened the recording may be a co-anchor and a
        # reporter, or a live guest: not taken for soundbites.
        return reporter == self.turns[after].speaker and reporter != self.turns[0].speaker


def _describe_role(text: str) -> SpeakerRole | None:
    """The role the words describing a person imply, if one clearly does."""
    found = [
        role
        for role, pattern in (
            (SpeakerRole.CORRESPONDENT, _CORRESPONDENT),
            (SpeakerRole.QUOTED_OFFICIAL, _OFFICIAL),
            (SpeakerRole.GUEST, _GUEST),
            (SpeakerRole.MEMBER_OF_THE_PUBLIC, _PUBLIC),
        )
        if pattern.search(text)
    ]
    if len(found) == 1:
        return found[0]
    if found and found[0] is SpeakerRole.QUOTED_OFFICIAL and SpeakerRole.GUEST not in found:
        return SpeakerRole.QUOTED_OFFICIAL  # "police told residents"
    return None


def _description_around(sentence: str, start: int, end: int) -> str:
    """The words that describe the person at [start, end) of ``sentence``: the title before
    the name (back to a comma or a cue) and an apposition after it (", an emergency nurse")."""
    pieces = re.split(r"[,;:]|\b(?:is|are|to|by|from|with|and|that|said|says|told)\b", sentence[:start])
    before = pieces[-1]
    if len(pieces) > 1 and all(_clean(t).lower() in _TITLE_WORDS for t in before.split()):
        # "Josh's mother, NAME, spoke ..."; "Chief Medical Officer of Health, Dr. NAME"
        before = pieces[-2] + " " + before
    after = sentence[end:]
    # An apposition, not the verb that follows a name in commas (", spoke to reporters").
    apposition = re.match(r"\s*,\s*((?:a|an|the|who|of|from|at|[A-Z])[^,.;]{0,80})", after)
    return before + " " + (apposition.group(1) if apposition else "")


def _without_function_words(run: re.Match) -> tuple[int, int] | None:
    """The span of a capitalised run less the words at either end that are no part of a name
    ("After Aurelio de la Fuente" -> "Aurelio de la Fuente") and less a title; None when under
    two words remain."""
    words = [(run.start() + m.start(), run.start() + m.end()) for m in re.finditer(r"\S+", run.group(0))]
    while words and _clean(run.string[slice(*words[0])]).lower() in _NOT_NAMES:
        words.pop(0)
    while words and _clean(run.string[slice(*words[-1])]).lower() in _NOT_NAMES:
        words.pop()
    # A title of any length ends before the name ("Transit Chief Executive Yolanda Pérez-Whitcombe").
    titles = [k for k, span in enumerate(words) if _clean(run.string[slice(*span)]).lower().rstrip(".") in _TITLE_WORDS]
    if titles and len(words) - titles[-1] - 1 >= 2:
        words = words[titles[-1] + 1:]
    if not 2 <= len(words) <= 4:
        return None
    return words[0][0], words[-1][1]


# A possessive ends a run: "Sky's Tunde Fashola-Obi" holds one name, not "Sky's Tunde".
_RUN_TOKEN = r"[A-Z][\w-]*(?:['\u2019](?!s\b)[\w-]+)*(?!['\u2019]s\b)"
_CAPITALISED_RUN = re.compile(rf"{_RUN_TOKEN}(?:\s+(?:(?:van|von|der|de|da|di|du|la|le|bin|al)\s+)*{_RUN_TOKEN}){{1,4}}")


def _capitalised_runs(text: str) -> list[tuple[int, int]]:
    """Spans of two to four capitalised words (particles between them allowed), less the words
    no name holds (``_without_function_words``)."""
    return [span for run in _CAPITALISED_RUN.finditer(text) if (span := _without_function_words(run))]


# Two to four capitalised words, particles between them allowed: the shape of a full name.
_NAME_SHAPE = re.compile(r"[A-Z][\w'\u2019-]+(?:\s+(?:(?:van|von|der|de|da|di|du|la|le|bin|al)\s+)*[A-Z][\w'\u2019-]+){1,3}")


def _with_surname(person: ner.Entity, sentence: str) -> ner.Entity:
    """The person entity with the rest of its capitalised run where the recogniser stopped short
    of the surname ("Dr Anjali" of "Dr Anjali Raghunathan of James Cook University"): words that
    are neither common English words nor first names. (Out of context the recogniser reads such
    a surname alone as a place, "Raghunathan": no place test here, so only for punctuated prose.)"""
    for start, end in _capitalised_runs(sentence):
        if start < person.end < end:
            rest = sentence[person.end:end].split()
            if all(_uncommon_or_first_name(t) and _clean(t).lower() not in ner.census_first_names() for t in rest):
                return ner.Entity(sentence[person.start:end], person.label, person.start, end)
    return person


def _candidates(sentence: str, persons: _Persons, prose: bool = False) -> list[tuple[ner.Entity, bool]]:
    """Person entities, and capitalised runs of two or more words that the recogniser left
    unlabelled (usable in strong slots only): (entity, recognised). ``prose``: punctuated text
    (a title or description), where a person entity that stops short of its surname is
    completed (``_with_surname``)."""
    found = [(_with_surname(e, sentence) if prose else e, True) for e in persons.persons]
    for e in persons.entities:
        if e.label in ("ORG", "FAC", "PRODUCT") and _NAME_SHAPE.fullmatch(e.text):
            found.append((ner.Entity(e.text, "CANDIDATE", e.start, e.end), False))  # unfamiliar names come out as ORG or PRODUCT
    for start, end in _capitalised_runs(sentence):
        text = sentence[start:end]
        if _video_name_at(sentence, start, _VIDEO_PERSONS.get()):
            # A name the video spells is a candidate whatever the recogniser makes of it (this
            # model reads "Tomasz Wierzbicki" as a place).
            if not any(c.start == start and c.end == end for c, _ in found):
                found.append((ner.Entity(text, "CANDIDATE", start, end), False))
            continue
        overlapping = [e for e in persons.entities if e.start < end and start < e.end]
        # Unfamiliar names come out whole or in part as organisations ("Tomasz [Schafernaker-Reid]").
        partial = all(
            e.label in ("ORG", "FAC", "NORP") and start <= e.start and e.end <= end and e.text != text
            for e in overlapping
        )
        if not overlapping or partial and not any(c.start == start and c.end == end for c, _ in found):
            found.append((ner.Entity(text, "CANDIDATE", start, end), False))
    # A first name of a person the video names in full, standing alone ("Saoirse is in the
    # weather centre"): usable in strong slots, as other unrecognised candidates.
    known = _KNOWN_FIRST_NAMES.get()
    for match in re.finditer(r"(?<![\w'\u2019-])[A-Z\u00c0-\u00de][\w'\u2019]+(?![\w'\u2019-])", sentence):
        if match.group(0).lower() in known and not any(c.start <= match.start() < c.end for c, _ in found):
            found.append((ner.Entity(match.group(0), "CANDIDATE", match.start(), match.end()), False))
    return sorted(found, key=lambda pair: pair[0].start)


_REPORTER_RULES = {"is-in", "went-to", "has-more", "reports", "outlet-s", "our"}
# Rules that also fit a newsmaker ("President Zelensky is in Washington for talks", "the prime
# minister visited the flood zone"): they name the next voice only with a second sign that it is
# a reporter (a reporter's title, "with more", a vocative with the same first name).
_WEAK_RULES = {"is-in", "went-to"}
# A phone-in: the next voice is a caller, a member of the public, however introduced.
_CALLER = re.compile(r"(?i)\b(?:on\s+the\s+line|go\s+ahead(?=(?:,\s*[A-Z][\w'\u2019-]*)?[\s,.!?]*$)|you'?re\s+on\s+(?:the\s+)?air|caller|calls?\s+(?:from|in)|lines\s+are)\b")


def _end_of_turn_clues(turn: _Turn, following: _Turn, ctx: _Context) -> list[_Clue]:
    """What the end of ``turn`` says about the speaker of ``following``."""
    clues: list[_Clue] = []
    target = following.speaker
    sentences = turn.sentences()[-3:]
    if not sentences:
        return clues
    last = sentences[-1]
    first_time = ctx.first_appearance(following)
    soundbite = first_time and not last.endswith("?") and ctx.inside_a_report(following)

    # A question that opens with a name: "Tomasz, how are passengers taking this?"
    # Without full stops the question still follows a comma: "... in Birmingham, Tomasz, how are
    # passengers taking this?"
    addressed = re.match(r"(?P<name>[A-Z][\w'\u2019-]+(?:\s+[A-Z][\w'\u2019-]+)?),\s+[^?]*\?$", last) or re.search(
        r",\s+(?P<name>[A-Z][\w'\u2019-]+),\s+[^,?]*\?$", last
    )
    if addressed:
        name = _person_name(addressed.group("name"))
        if name:
            clues.append(_Clue(target, "question addressed by name", last[-60:], turn.index, name=name))
        elif _title_of(addressed.group("name")) == addressed.group("name"):
            title = addressed.group("name")
            role = _describe_role(title)  # "Senator, what persuaded you?"
            if role:
                clues.append(_Clue(target, "question addressed by title", last[-60:], turn.index, role=role, weight=0.5))
            # "Professor Dave Goulson-Price studies them ... Professor, what is going on?": the
            # title links the question to the person just introduced with it.
            for sentence in sentences[-3:-1]:
                for match in re.finditer(rf"\b{re.escape(title)}\s+(?P<name>[A-Z][\w'\u2019-]+(?:\s+[A-Z][\w'\u2019-]+){{1,3}})", sentence):
                    name = _person_name(match.group("name"), _Persons(sentence), match.start("name"), ctx.places, strong_slot=True)
                    if name:
                        clues.append(_Clue(target, "title links the question to the person introduced", sentence, turn.index, name=name, weight=2.0))
    # A vocative at the very end: "... Anna?", "Over to you, Priya.", ", Tom"
    vocative = _VOCATIVE_END.search(last)
    if vocative:
        raw = re.sub(r"(?i)^(?:and|so|over\s+to\s+you|back\s+to\s+you|to\s+you)\s*,?\s*", "", vocative.group("name")).strip()
        whole_sentence = not last[: vocative.start("name")].strip(" ,") or last[: vocative.start("name")].rstrip().endswith((".", "?", "!"))
        name = _person_name(raw) if raw else None
        # ", Keir Starmer." closing a sentence is an apposition; a vocative is a first name,
        # a question, or a sentence of its own.
        if name and (whole_sentence or vocative.group("end") != "." or len(name.split()) == 1):
            clues.append(_Clue(target, "hand-over: name that ends the turn", last[-60:], turn.index, name=name))
        elif raw and _title_of(raw) == raw.strip():
            role = _describe_role(raw)  # "Professor?" names no one but is a role
            if role:
                clues.append(_Clue(target, "title that ends the turn", last[-60:], turn.index, role=role, weight=0.5))

    # "With me is the gallery's curator, Aurelio de la Fuente. Aurelio, what ...?": a first name
    # addressed right after a full name with that first name is that person.
    for clue in [c for c in clues if c.name and len(c.name.split()) == 1]:
        text = " ".join(sentences[-2:])
        address = _last_match(re.compile(rf"(?<![\w-]){re.escape(clue.name)}(?![\w-])"), text)
        before = text[: address.start()].rstrip(" ,.") if address else ""
        persons = _Persons(before)
        fuller = {
            full
            for entity, _ in _candidates(before, persons)
            if entity.end == len(before)
            and (full := _person_name(entity.text, persons, entity.start, ctx.places, strong_slot=True))
            and len(full.split()) > 1
            and _sounds_alike(clue.name, full.split()[0])
        }
        if len(fuller) == 1:
            clues.append(_Clue(target, "full name just before the address", text[-100:], turn.index, name=fuller.pop()))

    named = False
    # Sentences that hand over to a reporter: the people they name besides are the report's
    # subject ("Our arts reporter NAME met the painter NAME2"), not the next voice.
    reporter_sentences: set[int] = set()
    quoted_people: list[_Clue] = []
    # The last sentence reports what the person named before it said ("She told the house
    # ..."), as a statement or as an interview ("He told me ..."): the last person the turn
    # names, however many sentences about her come between ("NAME is seventy three. She has
    # waited ... She told me what it has done to her life.").
    last_reports = bool(_PRONOUN_REPORT.search(last))
    last_is_interview = bool(_PRONOUN_INTERVIEW.search(last))
    persons_of = [_Persons(sentence) for sentence in sentences]
    candidates_of = [_candidates(sentence, persons) for sentence, persons in zip(sentences, persons_of)]
    for position, (sentence, persons, candidates) in enumerate(zip(sentences, persons_of, candidates_of)):
        in_last = position == len(sentences) - 1
        for index, (entity, recognised) in enumerate(candidates):
            pre, post = sentence[: entity.start], sentence[entity.end:]
            rule = next((label for label, pattern in _HANDOFF_AFTER if re.search(pattern, post, re.IGNORECASE)), None)
            if rule is None:
                rule = next((label for label, pattern in _HANDOFF_BEFORE if pattern.search(pre)), None)
            described = _describe_role(_description_around(sentence, entity.start, entity.end))
            if rule is not None:
                name = _person_name(entity.text, persons, entity.start, ctx.places, strong_slot=True)
                if not name:
                    continue
                if rule in _WEAK_RULES:
                    addressed_first = {c.name.split()[0] for c in clues if c.name and c.rule.startswith(("hand-over", "question addressed"))}
                    corroborated = (
                        described is SpeakerRole.CORRESPONDENT
                        or re.search(r"(?i)\b(?:with\s+(?:more|the\s+latest)|for\s+us|live|standing\s+by|has\s+more)\b", post)
                        or _PRESENTING_TEAM.search(post)
                        or name.split()[0] in addressed_first
                        # "Dev Malhotra is near the evacuation centre. Dev, over to you."
                        or re.search(rf"(?<![\w-]){re.escape(name.split()[0])}(?![\w-])", last) and not in_last
                        # "... is in the weather centre. How bad is this going to get?"
                        or position == len(sentences) - 2 and last.endswith("?") and len(last.split()) <= 12
                        or bool(_CALLER.search(" ".join(sentences[-2:])))
                        # The turn's last words, about someone with no title: "... X is at the port."
                        or in_last and not _title_of(pre.split()[-1] if pre.split() else "") and described is None
                    )
                    if not corroborated:
                        continue
                role_weight = 2.0
                if described is None and rule not in _REPORTER_RULES:
                    # "One of the two senators who changed sides is NAME": the sentence, less surely.
                    described, role_weight = _describe_role(sentence), 1.0
                # A phone-in caller is given by first name ("Doreen in Harrogate"); someone on
                # the line with a surname as well is an interviewee, placed by what else is said.
                if _CALLER.search(" ".join(sentences[-2:])) and len(name.split()) < 2:
                    role = SpeakerRole.MEMBER_OF_THE_PUBLIC
                elif _PRESENTING_TEAM.search(post):
                    role = SpeakerRole.ANCHOR  # "... is in the weather centre": the presenting team
                elif rule in _REPORTER_RULES:
                    role = SpeakerRole.CORRESPONDENT
                elif described in (SpeakerRole.QUOTED_OFFICIAL, SpeakerRole.GUEST, SpeakerRole.CORRESPONDENT):
                    role = described
                elif rule == "on-the-line":
                    role = SpeakerRole.GUEST  # on the phone from somewhere is no reporter's stand-up
                elif rule in ("go-to", "over-to") or re.search(r"\b(?i:from|in)\s+[A-Z]|\b(?i:live)\b", pre + post) and described is None:
                    role = SpeakerRole.CORRESPONDENT
                else:
                    # A live interview with someone not described as in office: a guest, by default.
                    role, role_weight = SpeakerRole.GUEST, 1.0 if described is None else role_weight
                clues.append(_Clue(target, f"introduction: {rule}", sentence, turn.index, name=name, weight=2.0))
                clues.append(_Clue(target, f"introduction: {rule}", sentence, turn.index, role=role, weight=role_weight))
                named = True
                if role is SpeakerRole.CORRESPONDENT:
                    reporter_sentences.add(position)
                continue
            if not first_time:
                continue
            # An unfamiliar name counts only right before a speech verb ("NAME, an immunologist
            # at the Karolinska Institute, says ..."), or as the last words before a soundbite
            # where the title or description spells it ("Fire Chief NAME led the rescue.").
            # The name's sentence ends the turn, or only what that person said follows it.
            reported_next = last_reports and not in_last and not any(candidates_of[position + 1:])
            at_end = in_last or reported_next
            spelled_before_soundbite = soundbite and at_end and _video_name_around(sentence, entity.start, entity.end, _VIDEO_NAMES.get())
            if not recognised and not _QUOTE_AFTER.search(post) and not spelled_before_soundbite:
                continue
            name = _person_name(entity.text, persons, entity.start, ctx.places, strong_slot=not recognised)
            if not name:
                continue
            # A person named later in the sentence is the nearer voice. After a person the video
            # credits, a lone word the video never names is not: this small recogniser calls a
            # town a person out of place ("Dr NAME is an orthopaedic surgeon and Exeter.", the
            # ASR's "and" for "in").
            video_named = bool(_video_name_around(sentence, entity.start, entity.end, _VIDEO_PERSONS.get()))
            later = [e for e, ok in candidates[index + 1:] if ok and not (
                video_named and len(e.text.split()) == 1 and e.text.lower() not in _KNOWN_FIRST_NAMES.get())]
            # "..., NAME, asked people to look in on ... As she put it this morning:": the
            # pronoun of a cue that ends the turn points back to the person named last.
            quoted = (
                _QUOTE_AFTER.search(post)
                or _QUOTE_BEFORE.search(pre)
                or _PRONOUN_CUE.search(last) and not later and position >= len(sentences) - 2
                or reported_next and not later and not last_is_interview
            )
            explicit = bool(_FORWARD_CUE.search(last))
            forward = at_end or explicit or soundbite
            if described is None and not quoted:
                # Named just before a soundbite: "Gary Lomax has worked on the paint line ..."
                described = _describe_role(post)
            role = described if described in (SpeakerRole.QUOTED_OFFICIAL, SpeakerRole.GUEST, SpeakerRole.MEMBER_OF_THE_PUBLIC) else None
            if position in reporter_sentences:
                continue
            # ASR splits sentences: "... spokesman, John Kirby. We'll explain why ... Take a listen."
            if quoted and forward and not later and position >= len(sentences) - (3 if explicit or soundbite else 2):
                # An office speaks to reporters or in a statement; someone with no office or
                # title who "spoke to us" gave an interview: a guest ("The manager, NAME, spoke
                # to us afterwards").
                default = SpeakerRole.GUEST if _INTERVIEW_CUE.search(post) and not _OFFICIAL.search(sentence) else SpeakerRole.QUOTED_OFFICIAL
                quoted_people.append(_Clue(target, "quote cue", sentence, turn.index, name=name, role=role or default, weight=2.0))
            elif soundbite and at_end and not later and len(_clause_before(pre).split()) <= 6 and not _DESCRIBED_VOICE.search(post):
                # (A voice described after the name is nearer the soundbite and is the one it
                # belongs to: "It's noon at Glenmore Elementary ... A spokesperson for the
                # ministry said ...", one sentence where the ASR wrote no full stops.)
                # "Planetary scientist NAME, of the University of Leeds, helped design ..."
                # Officials come with a title or an office; a name with neither is one of the public.
                # A title is also what stands capitalised right before the name, past the
                # sentence's first word ("Harbour Master NAME"): no list holds every office. As
                # the sentence's first word, a known title of no guest ("Captain NAME has ...").
                # (The recogniser's person may hold the title: the words before the name count.)
                at = sentence.find(name)
                before_name = _clause_before(sentence[:at] if at >= 0 else pre).split()
                titled = bool(before_name) and before_name[-1][:1].isupper() and (
                    len(before_name) >= 2 or bool(_title_of(before_name[-1])) and _describe_role(before_name[-1]) is None
                )
                if _OFFICIAL.search(sentence) or titled:
                    # A title outweighs what the person did ("... has worked on this quay").
                    role = role if role in (SpeakerRole.QUOTED_OFFICIAL, SpeakerRole.GUEST) else SpeakerRole.QUOTED_OFFICIAL
                quoted_people.append(_Clue(target, "named just before a soundbite", sentence, turn.index, name=name,
                                           role=role or SpeakerRole.MEMBER_OF_THE_PUBLIC, weight=1.5))

    if quoted_people:
        # The person named nearest the new voice is the one it belongs to ("Justice Ama Whitfield
        # said ... The Attorney General, Rajiv Castellanos, spoke outside the courthouse.").
        clues.append(quoted_people[-1])
        named = True

    # Cues that give a role without a name.
    caller = _CALLER.search(" ".join(sentences[-2:]))
    named_in_full = any(c.name and len(c.name.split()) >= 2 for c in clues + quoted_people if c.speaker == target)
    if caller and first_time and not named_in_full:
        clues.append(_Clue(target, "caller on a phone-in", caller.group(0), turn.index, role=SpeakerRole.MEMBER_OF_THE_PUBLIC))
    reporter = _UNNAMED_REPORTER.search(" ".join(sentences[-2:]))
    if reporter:
        clues.append(_Clue(target, "introduction: our reporter", reporter.group(0), turn.index, role=SpeakerRole.CORRESPONDENT))
    if first_time and not named:
        # The nearest description wins: "... the hospital said ... A hospital spokesman added this."
        voice = next((v for v in (_last_match(_DESCRIBED_VOICE, last), _last_match(_DESCRIBED_VOICE, " ".join(sentences[-2:])), _PUBLIC_VOICES.search(last)) if v), None)
        described = _describe_role(voice.group(0)) if voice else None
        if described is SpeakerRole.CORRESPONDENT:
            described = None
        if described:
            clues.append(_Clue(target, "described voice", voice.group(0), turn.index, role=described))
        elif _FORWARD_CUE.search(last):
            clues.append(_Clue(target, "quote cue without a name", last[-80:], turn.index, role=_describe_role(last) or SpeakerRole.QUOTED_OFFICIAL, weight=0.5))
        elif soundbite:
            # An unnamed voice heard once inside a report is a vox pop.
            clues.append(_Clue(target, "unnamed voice inside a report", last[-80:], turn.index, role=SpeakerRole.MEMBER_OF_THE_PUBLIC, weight=0.5))
    return clues


def _clause_before(pre: str) -> str:
    """The words before a name since the last comma, semicolon or colon: the ASR often joins a
    report's sentences with commas ("... for four days, Fire Chief NAME led the rescue.")."""
    return re.split(r"[,;:]\s+", pre)[-1]


def _last_match(pattern: re.Pattern, text: str) -> re.Match | None:
    """The last match: the description nearest the voice that follows (without full stops, "...
    a lot of vegetables, the school says ..., a spokesperson for the ministry said ...")."""
    found = None
    for found in pattern.finditer(text):
        pass
    return found


def _thanks_follows(head: str) -> bool:
    return bool(re.match(r"[A-Z][\w'\u2019-]+,\s+(?i:thanks|thank\s+you)", head))


def _start_of_turn_clues(previous: _Turn, turn: _Turn, ctx: _Context) -> list[_Clue]:
    """What the start of ``turn`` says about the speaker of ``previous``."""
    clues: list[_Clue] = []
    sentences = turn.sentences()[:2]
    head = " ".join(sentences)
    report = _REPORT_THANKS.search(head)
    if report:
        clues.append(_Clue(previous.speaker, "thanked for a report", report.group(0), turn.index, role=SpeakerRole.CORRESPONDENT))
    # A lone hand-back that diarization put at this turn's start ("Heather? Anna Cunningham,
    # thanks ...") is skipped: the greeting or thanks is the next sentence.
    if len(sentences) > 1 and len(sentences[0].split()) == 1 and sentences[0].endswith("?"):
        head = sentences[1]
    persons = _Persons(head)
    greeting = _GREETING_HEAD.search(head)
    if (
        greeting
        and ctx.first_appearance(turn)
        and re.match(r"(?i)(?:good\s+)?(?:morning|afternoon|evening)\b", head)
        and len(turn.words) >= 80
    ):
        # "Morning, Heather. Well, the Kremlin ...": answering the anchor at length, live.
        clues.append(_Clue(turn.speaker, "greets the presenter, then reports", head[: greeting.end()], turn.index, role=SpeakerRole.CORRESPONDENT))
    if greeting:
        raw = greeting.group("name")
        name = _person_name(raw, persons, greeting.start("name"), ctx.places, strong_slot=True)
        if name:
            clues.append(_Clue(previous.speaker, "greeting or thanks with a name", head[: greeting.end()], turn.index, name=name))
        elif _title_of(raw) == raw.strip():
            role = _describe_role(raw)  # "Thank you, Senator." is a role, not a name
            if role:
                clues.append(_Clue(previous.speaker, "greeting or thanks with a title", head[: greeting.end()], turn.index, role=role, weight=0.5))
    opening = re.match(r"(?P<name>[A-Z][\w'\u2019-]+),\s+[a-z]", head)
    # "Flour, energy and wages have all gone up": a list, not a vocative.
    listing = re.match(r"[A-Z][\w'\u2019-]+,(?:\s+[\w'-]+,?){1,3}\s+(?:and|or)\b", head)
    if opening and not greeting and not listing and not _thanks_follows(head):
        name = _person_name(opening.group("name"))
        known = name and (name.lower() in ner.census_first_names() or name.lower() in _KNOWN_FIRST_NAMES.get())
        if known:  # "Clare, it is the biggest package of savings in a decade ..."
            clues.append(_Clue(previous.speaker, "name that opens the answer", head[:60], turn.index, name=name))
    named_after = _NAMED_AFTER.match(head)
    if named_after and ctx.heard_once(previous) and previous.index > 0 and not greeting and not _thanks_follows(head):
        name = _person_name(named_after.group("name"), persons, named_after.start("name"), ctx.places, strong_slot=True)
        said_who = named_after.group("desc") is not None
        appositive = named_after.group("appos") if said_who else None
        described = next(filter(None, (_describe_role(text) for text in (named_after.group("title") or named_after.group("bare_title"), named_after.group("desc"), appositive) if text)), None)
        whole = name is not None and _strip_title(named_after.group("name").strip()) == name  # the name and nothing more
        if whole and len(name.split()) >= 2 and (said_who or described):
            clues.append(_Clue(previous.speaker, "named right after speaking", head[: named_after.end()], turn.index, name=name, role=described, weight=2.0))
    thanks = _NAME_THANKS.search(head)
    if thanks:
        name = _person_name(thanks.group("name"), persons, 0, ctx.places, strong_slot=True)
        if name:
            title_role = _describe_role(_title_of(thanks.group("name")))  # "Senator Patricia Quintero, thank you"
            clues.append(_Clue(previous.speaker, "name, then thanks", head[: thanks.end()], turn.index, name=name, role=title_role, weight=0.5 if title_role else 1.0))
    return clues


def _self_clues(turn: _Turn, ctx: _Context) -> list[_Clue]:
    """What a speaker says about themselves: a sign-off or an introduction."""
    clues: list[_Clue] = []
    sentences = turn.sentences()
    if not sentences:
        return clues
    last = sentences[-1]
    persons = _Persons(last)
    for pattern in (_FOR_OUTLET_IM, _SIGN_OFF, _REPORTING_FROM):
        sign_off = pattern.search(last)
        if not sign_off:
            continue
        name = _person_name(sign_off.group("name"), persons, sign_off.start("name"), ctx.places, strong_slot=True)
        outlet = sign_off.groupdict().get("outlet")
        place = sign_off.groupdict().get("place")
        # "Jane Smith, CNN, Washington." names the one speaking; the outlet and the place are
        # not people ("Thanks, John, and Mary." is not a sign-off), and thanks are no outlet:
        # "Tobias Nwachukwu, Thank you." (an ASR writing in title case) thanks the one addressed.
        if outlet and re.match(_THANKS, outlet):
            continue
        # The name opens a sign-off: words before it ("Let's go to NAME, Kirkwall") hand over.
        signed = sign_off.group("name")
        at = signed.find(name) if name else -1
        lead = signed[:at] if name else ""
        if any(word[:1].islower() for word in lead.split()):
            continue
        # Nothing but a place follows the name inside a sign-off: "NAME is near the centre in
        # West Kelowna, Dev over to you" (no full stops) hands over to NAME.
        trail = signed[at + len(name):].strip() if name and at >= 0 else ""
        if trail and not re.match(rf"{_PLACE_PREPOSITION}\b", trail):
            continue
        if name and (pattern is _REPORTING_FROM or outlet and not _person_name(outlet)):
            clues.append(_Clue(turn.speaker, "sign-off", last, turn.index, name=name, role=SpeakerRole.CORRESPONDENT, weight=2.0))
            for other in (outlet, place and _PLACE_LEAD.sub("", place)):
                if other:
                    ctx.places.add(other.strip())
            break
    opener = turn.index == 0 and (_NEWS_OPENER.search(turn.text) or _PROGRAMME.search(" ".join(sentences[:2])))
    if opener:
        # Radio: "You're listening to Drive with me, Jo Whitfield."
        host = _WITH_ME.search(" ".join(sentences[:2]))
        host_name = _person_name(host.group("name"), None, 0, ctx.places, strong_slot=True) if host else None
        if host_name:
            clues.append(_Clue(turn.speaker, "introduces self", host.group(0), turn.index, name=host_name, role=SpeakerRole.ANCHOR, weight=1.5))
    previous_intro = turn.index == 1 and _SELF_INTRO.search(" ".join(ctx.turns[0].sentences()[:2]))
    for position, sentence in enumerate(sentences[:2]):
        # Whisper often hears the "I'm" of an opening "Hello, I'm NAME" as "in": read so, a
        # full person's name only ("Good evening, in Kendal tonight ..." names no one).
        misheard = position == 0 and turn.index == 0 and _GREETING_IN.match(sentence)
        if misheard:
            sentence = sentence[: misheard.start("in")] + "I'm" + sentence[misheard.end("in") :]
        # "This is The Afternoon Edition, I'm Rachel Feng.": the programme is no one.
        # "this is X" also opens a programme ("this is CityLine News"): only a recognised person.
        intros = [
            (intro, name)
            for intro in _SELF_INTRO.finditer(sentence)
            if (
                name := _person_name(
                    intro.group("name"),
                    _Persons(sentence),
                    intro.start("name"),
                    ctx.places,
                    strong_slot=not re.search(r"(?i)this\s+is\s*$", sentence[: intro.start("name")]),
                )
            )
        ]
        if misheard:
            intros = [(intro, name) for intro, name in intros if intro.start() <= misheard.start("in") + 1 and len(name.split()) >= 2]
        if not intros:
            continue
        intro, name = intros[-1]
        role = None
        if opener or previous_intro and re.match(r"(?i)and\s+i'?m\b", sentence):
            role = SpeakerRole.ANCHOR  # "Good evening, I'm ..." / "And I'm ..." opening a programme
        clues.append(_Clue(turn.speaker, "introduces self", sentence, turn.index, name=name, role=role, weight=1.5))
    return clues


_GREETING_IN = re.compile(r"^(?i:hello|hi|good\s+(?:morning|afternoon|evening))\s*,?\s+(?P<in>(?i:in))\s+(?=[A-Z])")
_DESCRIPTION_CUE_BEFORE = re.compile(
    r"(?i)(?:\b(?:by|with|host|hosts|co-hosts|presenter|presented|anchor|anchors|correspondent|reporter|guest|guests|"
    r"reporting|featuring|and|meteorologist|economist|scientist|curator|nurse|speaks\s+to|spoke\s+to|interview\s+with)|:)"
    r"\s+(?:[\w.'\u2019-]+\s+){0,3}$"
)
_DESCRIPTION_CUE_AFTER = re.compile(
    r"(?i)^,?\s+(?:reports|reporting|says|said|speaks|spoke|told|explains|joins|responded|urged|defended|ordered|"
    r"announced|warned|visited|won|wins|talks|tells|is|was|\(|,)"
)


def _metadata_people(metadata: VideoMetadata | None) -> list[tuple[str, str]]:
    """Persons in the title and description, with the words around them: person entities, and
    full names the recogniser does not know in the layouts descriptions use ("Reporter: NAME",
    "Presented by NAME", "NAME reports from ...", "Guest: TITLE NAME, University of ...")."""
    if metadata is None:
        return []
    people: list[tuple[str, str]] = []
    for text in (metadata.title or "", metadata.description or ""):
        persons = _Persons(text)
        # A credited name may come out as a place in a description about places ("Words and
        # pictures: Tamati Paewai." after "the Bay of Plenty"): a candidate where out of context
        # the recogniser does not read it as one (checked below).
        credited_as_place = [(ner.Entity(e.text, "CANDIDATE", e.start, e.end), False) for e in persons.entities
                             if e.label in ("LOC", "GPE") and _NAME_SHAPE.fullmatch(e.text)]
        for entity, recognised in _candidates(text, persons, prose=True) + credited_as_place:
            name = _strip_title(entity.text)
            if not _looks_like_name(name) or len(name.split()) < 2:
                continue
            if not recognised or entity.label != "PERSON":
                before, after = text[: entity.start], text[entity.end:]
                if not (_DESCRIPTION_CUE_BEFORE.search(before) or _DESCRIPTION_CUE_AFTER.search(after)):
                    continue
                if ner.reads_as_place(name):
                    continue
            people.append((name, text[max(0, entity.start - 60): entity.end + 80]))
    return people


def _video_names(metadata: VideoMetadata | None, meta_people: list[tuple[str, str]]) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Full names the title and description spell, as (persons, names). Persons: those the
    recogniser labels PERSON there, in the description's own sentences (it reads "Tomasz
    Wierzbicki reports from ..." as a person, the same name in speech as a place). Names: those,
    the persons of ``_metadata_people``, and any other run of two to four capitalised words that
    opens with a first name, never a place ("Reports from Ines Katsaros-Webb in Vancouver").
    A name heard as a person's in the speech and sounding like one of the names takes its
    spelling; one sounding like a person is a person's even where the recogniser doubts it."""
    persons: list[str] = []
    names = [p for p, _ in meta_people]
    for text in (metadata.title or "", metadata.description or "") if metadata else ():
        entities = _Persons(text)
        for entity, _ in _candidates(text, entities, prose=True):
            name = _strip_title(entity.text)
            first = name.split()[0] if name else ""
            if len(name.split()) < 2 or not _looks_like_name(name):
                continue
            # Out of context the small model reads some names as places ("Magnus Thorvaldsen");
            # a person here, right after a title or a description ("Fire Chief"), is a person.
            described = re.search(r"(?:[\w.'\u2019-]+\s+){1,3}$", text[: entity.start])
            titled = entity.label == "PERSON" and described is not None and _describe_role(described.group(0)) is not None
            if ner.reads_as_place(name) and not titled:
                continue
            if entity.label == "PERSON" and all(_uncommon_or_first_name(t) for t in name.split()) and not any(
                e.label in ner.NOT_PERSON and e.text.strip() in (name, f"the {name}", f"The {name}") for e in entities.entities
            ):
                persons.append(name)
            if entity.label == "PERSON" or first.lower() in ner.census_first_names() or ner.reads_as_person(first):
                names.append(name)
    names += persons
    return tuple(dict.fromkeys(persons)), tuple(dict.fromkeys(names))


def _uncommon_or_first_name(token: str) -> bool:
    """A word a person's name is made of: a first name, or no common English word, or a
    hyphenated one with an uncommon part ("McAllister-Grant"); the recogniser also labels
    "Medicine Hat", "Broken Arrow", "Storm Ingrid" PERSON."""
    word = _clean(token).lower()
    return word in ner.census_first_names() or word in _PARTICLES or any(
        zipf_frequency(part, "en") < ner.COMMON_WORD_ZIPF for part in word.split("-") if part
    )


def _metadata_places(metadata: VideoMetadata | None) -> set[str]:
    """Places the title and description name that could pass for a first name in a vocative
    ("... from Kyiv."): only those the recogniser never reads as a person."""
    places: set[str] = set()
    texts = [metadata.title or "", metadata.description or ""] if metadata else []
    names = {part for name in _VIDEO_NAMES.get() for part in [name, *name.split()]}  # (the persons among them)
    for text in texts:
        for entity in ner.entities(text):
            if entity.label in ("GPE", "LOC", "FAC") and not ner.reads_as_person(entity.text) and entity.text not in names:
                places.add(entity.text)
    return places


def _letters(text: str) -> str:
    """A name's letters alone, accents and case off: "Lafrenière-Pike" -> "lafrenierepike"."""
    return "".join(ch for ch in unicodedata.normalize("NFKD", text).casefold() if ch.isalpha())


# Two spellings of a name part are one name from this Indel similarity of their letters on
# ("delacroixburn"/"delacroixbyrne" 0.89, "ramenholt"/"ramanholt" 0.89, "lafrenierpike"/
# "lafrenierepike" 0.96), or when they sound the same to Metaphone ("Rajeev"/"Rajiv",
# "Coffee"/"Kofi", "Reair"/"Ruairí"): how a recogniser or a captioner mishears a name. A long
# name may also sound alike with a sound missed or added: Metaphone codes of at least
# ``LONG_NAME_CODES`` letters as similar as that ("Oil Lowe Fraser"/"Oyelowo-Fraser": OLWFRSR /
# OYLWFRSR, 0.93), the caption fixer's test for a misheard name (align.evidence).
NAME_SPELLING_SIMILARITY = 80
LONG_NAME_CODES = 6
# A surname heard without its first name, in several words, completes to a full name only
# where it has this many letters: a short one ("Lee", "Cho") is too many words and names.
MIN_SURNAME_LETTERS = 8


def _sounds_alike(spoken: str, written: str) -> bool:
    a, b = _letters(spoken), _letters(written)
    if not a or not b:
        return False
    if a == b or fuzz.ratio(a, b) >= NAME_SPELLING_SIMILARITY:
        return True
    codes = jellyfish.metaphone(a), jellyfish.metaphone(b)
    if min(len(a), len(b)) >= 3 and codes[0] == codes[1]:
        return True
    return min(map(len, codes)) >= LONG_NAME_CODES and fuzz.ratio(*codes) >= NAME_SPELLING_SIMILARITY


def _video_spelling(name: str, among: tuple[str, ...] | None = None) -> str | None:
    """The title's or description's spelling of a full name heard in the speech: the one video
    name whose first name and surname each sound like the heard ones (a surname heard in
    several words, "La Frenier Pike", is compared whole). A heard name that runs on past a
    video name into common words ("Rachel Feng Patients": no full stop in the ASR or the
    captions) is that name; a surname heard alone in several words, where no full name fits,
    is the one video name with that surname. None when no video name, or more than one, fits."""
    tokens = name.split()
    if len(tokens) < 2:
        return None
    fits, surname_fits = set(), set()
    for person in _VIDEO_NAMES.get() if among is None else among:
        parts = person.split()
        if len(parts) < 2:
            continue
        # The first name may be heard in several words ("My Ling" for Mei-Ling, "Leo Pold" for
        # Leopold); the surname then sounds alike on its own, or the whole name does by its
        # letters where a sound code misses a spelling ("Marketty" for the Italian Marchetti).
        splits = [i for i in range(1, len(tokens)) if _sounds_alike("".join(tokens[:i]), parts[0])]
        if not splits:
            # The surname alone, heard in several words ("Let's go to you and Mac Lachlan Price",
            # the first name lost in "you and"): that person, where one surname fits. Only a
            # name of two words: in a longer one the rest may be a full name itself, after a
            # title no list holds ("Curator Solveig Brekke-Haldane").
            surname = parts[-1]
            if len(parts) == 2 and len(_letters(surname)) >= MIN_SURNAME_LETTERS and fuzz.ratio(_letters(name), _letters(surname)) >= NAME_SPELLING_SIMILARITY:
                surname_fits.add(person)
            continue
        if any(_sounds_alike(" ".join(tokens[i:]), " ".join(parts[1:])) for i in splits) or (
            len(tokens) <= len(parts) + 1 and fuzz.ratio(_letters(name), _letters(person)) >= NAME_SPELLING_SIMILARITY
        ):
            fits.add(person)
        elif (
            len(tokens) > len(parts)
            and _letters(" ".join(tokens[: len(parts)])) == _letters(person)
            and all(zipf_frequency(_clean(t).lower(), "en") >= ner.COMMON_WORD_ZIPF for t in tokens[len(parts):])
        ):
            fits.add(person)
    if not fits:
        fits = surname_fits
    return fits.pop() if len(fits) == 1 else None


_NAME_TOKEN = re.compile(r"(?:[A-Z\u00c0-\u00de][\w'\u2019-]*|van|von|der|den|de|del|della|da|di|du|la|le)(?=[\s,.;:?!]|$)")
_WORD_TOKEN = re.compile(r"[a-z][\w'\u2019-]*(?=[ ]|$)")


def _video_name_at(text: str, offset: int, among: tuple[str, ...] | None = None) -> str | None:
    """The words from ``offset`` that sound like a video name, as many of them as fit (the
    recogniser's person may stop short: "Josée La" of "Josée La Frenier Pike"). The run opens
    and closes on capitalised words; a word inside it may be a common one, a part of the name
    the ASR heard as a word ("Gwendolyn actor Berg" for *Gwendolyn Achterberg*)."""
    tokens: list[str] = []
    position = offset
    while len(tokens) < 5:
        match = _NAME_TOKEN.match(text, position) or (tokens and _WORD_TOKEN.match(text, position))
        if not match:
            break
        tokens.append(match.group(0))
        position = match.end()
        gap = re.match(r"[ ]+", text[position:])
        if not gap:
            break
        position += gap.end()
    for count in range(len(tokens), 1, -1):
        if not _NAME_TOKEN.fullmatch(tokens[count - 1]):
            continue
        heard = " ".join(tokens[:count])
        if _video_spelling(heard, among):
            return _clean(heard)
    return None


def _part_of(part: str, name: str) -> bool:
    """Whether ``part`` is the first name or the surname of the fuller ``name``, as heard."""
    tokens = name.split()
    if len(tokens) < 2 or len(_letters(part)) >= len(_letters(name)):
        return False
    if len(part.split()) == 1:
        return _sounds_alike(part, tokens[0]) or _sounds_alike(part, tokens[-1])
    # A surname in several words joins only a full name the video spells ("Delacroix Burn" and
    # "Marcus Delacroix-Byrne"), never a run that merely holds it ("Sunita Léo Baptiste-Marchand").
    return name in _VIDEO_NAMES.get() and _sounds_alike(part, " ".join(tokens[1:]))


def _same_surname(a: str, b: str) -> bool:
    """Two full names whose surnames (all but the first word) sound alike."""
    ta, tb = a.split(), b.split()
    return len(ta) >= 2 and len(tb) >= 2 and _sounds_alike(" ".join(ta[1:]), " ".join(tb[1:]))


def _same_person(a: str, b: str) -> bool:
    """Two spellings of one full name (a surname misspelt slightly by the ASR or captions)."""
    ta, tb = a.lower().split(), b.lower().split()
    if len(ta) < 2 or len(tb) < 2:
        return False
    return fuzz.ratio(ta[0], tb[0]) >= 80 and fuzz.ratio(" ".join(ta[1:]), " ".join(tb[1:])) >= 75


def _spelling(
    name: str, meta_people: list[tuple[str, str]], transcript_words: dict[str, float], caption_text: str | None, video_text: str = ""
) -> tuple[str | None, str]:
    """The spelling to give ``name``, and why; None where the evidence does not hold it up."""
    for person, _ in meta_people:
        if person == name or _same_person(name, person):
            return person, "spelling from the title or description"
    if name in _VIDEO_NAMES.get() or video_text and re.search(rf"(?<![\w-]){re.escape(name)}(?![\w-])", video_text):
        return name, "spelling from the title or description"
    tokens = name.split()
    if caption_text is not None:
        if re.search(rf"(?<![\w-]){re.escape(name)}(?![\w-])", caption_text):
            return name, "captions and ASR agree"
        caption_tokens = set(re.findall(r"[\w'-]+", caption_text))
        if not all(t in caption_tokens for t in tokens if t.lower() not in _PARTICLES):
            # Captions spell it otherwise: conflicting evidence.
            if any(fuzz.ratio(t, c) >= 75 for t in tokens for c in caption_tokens if c[:1].isupper() and c != t):
                return None, "captions spell it otherwise"
            # Captions without the name at all: the spelling is the ASR's alone, a guess (on the
            # corpus such guesses named people "Rachel Feng Patients", "Reair Devlin", "Heat").
            lowered = {c.lower() for c in caption_tokens}
            if not all(t.lower() in lowered for t in tokens if t.lower() not in _PARTICLES):
                return None, "the ASR's spelling alone: the captions do not have it"
    confidence = min(transcript_words.get(t, 1.0) for t in tokens)
    if confidence < GUESS_PROBABILITY:
        return None, f"ASR alone, low confidence ({confidence:.2f})"
    return name, "as spoken"


def label_speakers(
    transcript: Transcript,
    metadata: VideoMetadata | None = None,
    captions: CaptionTrack | None = None,
) -> list[Speaker]:
    """Role (and name, where revealed) of every speaker in a transcript whose words carry
    speaker ids (``assign_speakers``). Speakers come back in order of first speech, each with
    the evidence for its role and name. ``captions``, where given, check a name's spelling."""
    meta_people = _metadata_people(metadata)
    persons, names = _video_names(metadata, meta_people)
    video_names, video_persons = _VIDEO_NAMES.set(names), _VIDEO_PERSONS.set(persons)
    first_names = _KNOWN_FIRST_NAMES.set(frozenset(p.split()[0].lower() for p, _ in meta_people))
    try:
        return _labelled(transcript, metadata, captions, meta_people)
    finally:
        _KNOWN_FIRST_NAMES.reset(first_names)
        _VIDEO_NAMES.reset(video_names)
        _VIDEO_PERSONS.reset(video_persons)


def _labelled(
    transcript: Transcript, metadata: VideoMetadata | None, captions: CaptionTrack | None, meta_people: list[tuple[str, str]]
) -> list[Speaker]:
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

    talk: Counter = Counter()
    for turn in turns:
        talk[turn.speaker] += max(turn.duration, 0.0)
    total = sum(talk.values()) or 1.0
    real = [s for s in order if talk[s] >= MIN_SECONDS or talk[s] / total >= MIN_SHARE]
    ctx = _Context(turns=turns, places=_metadata_places(metadata), first_turn={})
    for turn in turns:
        ctx.first_turn.setdefault(turn.speaker, turn.index)

    spoken_people = [
        _strip_title(e.text) for turn in turns for e in _Persons(turn.text).persons if len(_strip_title(e.text).split()) >= 2
    ]
    token = _KNOWN_FIRST_NAMES.set(frozenset(n.split()[0].lower() for n in [p for p, _ in meta_people] + spoken_people))
    try:
        clues = _clues(turns, ctx)
    finally:
        _KNOWN_FIRST_NAMES.reset(token)
    # A place named in a sign-off is no one's name anywhere.
    clues = [c for c in clues if not c.name or c.name not in ctx.places]

    confidence: dict[str, float] = {}
    for group in _written_words(list(transcript.words())):
        token = _clean("".join(w.word.strip() for w in group))
        if token:
            confidence[token] = min(confidence.get(token, 1.0), *(w.probability for w in group))
    caption_text = captions.text if captions is not None else None
    video_text = f"{metadata.title or ''}\n{metadata.description or ''}" if metadata else ""
    names, name_evidence = _names(clues, real, meta_people, confidence, caption_text, video_text)
    clues += _description_roles(names, meta_people, turns)
    roles, role_evidence = _roles(turns, real, clues, programme=_describes_a_programme(meta_people))
    presenter = _described_presenter(names, roles, meta_people)
    if presenter:
        speaker, name, context = presenter
        names[speaker] = name
        name_evidence[speaker].append({"rule": "the one presenter the title or description names whom no speaker is", "name": name, "words": context})

    speakers = []
    for s in order:
        evidence = role_evidence.get(s, []) + name_evidence.get(s, [])
        speakers.append(Speaker(id=s, role=roles.get(s, SpeakerRole.OTHER), name=names.get(s), evidence=evidence))
    return speakers


_PRESENTER = re.compile(
    r"(?i)\b(?:host|hosts|co-hosts?|anchor|anchors|presenter|presented\s+by|meteorologist|weather\s+(?:presenter|forecaster)|"
    r"forecaster|forecast\s+with|sports\s+presenter)\b[^.;]{0,12}$"
)


# Who runs the programme: not a forecaster or a sports presenter, who come and go inside it.
_PROGRAMME_PRESENTER = re.compile(r"(?i)(?<!weather\s)(?<!sports\s)\b(?:host|co-host|anchor|presenter|presented\s+by)\s+(?:[\w.'\u2019-]+\s+){0,1}$")
# Presenters credited together: "Presented by NAME and NAME", "Hosts NAME and NAME", and a
# sentence that credits only people, "With NAME and NAME; ...".
_PRESENTER_PAIR = re.compile(
    r"(?:(?i:(?<!weather\s)(?<!sports\s)\b(?:hosts|co-hosts|anchors|presenters|presented\s+by))|(?:^|[.;:]\s+)With)"
    r"\s+(?P<first>[A-Z][\w.'\u2019-]*(?:\s+[A-Z][\w.'\u2019-]*){1,3})\s+(?i:and|&)\s+$"
)


# A programme role the title or description gives a person: "Presenter NAME", "political editor
# NAME", "NAME reports".
_PROGRAMME_ROLE_BEFORE = re.compile(
    r"(?i)\b(?:host|co-host|anchor|presenter|presented\s+by|correspondent|reporter|editor)\s*:?\s+(?:[\w.'\u2019-]+\s+){0,1}$"
)
_PROGRAMME_ROLE_AFTER = re.compile(r"(?i)^\s+(?:reports|reporting)\b")


def _describes_a_programme(meta_people: list[tuple[str, str]]) -> bool:
    """Whether the title or description names someone in a programme role: then the speech is
    a programme, with an anchor, even where the ASR garbled every hand-off."""
    for person, context in meta_people:
        start = context.find(person)
        if start >= 0 and (_PROGRAMME_ROLE_BEFORE.search(context[:start]) or _PROGRAMME_ROLE_AFTER.search(context[start + len(person):])):
            return True
    return False


def _described_presenter(
    names: dict[str, str], roles: dict[str, SpeakerRole], meta_people: list[tuple[str, str]]
) -> tuple[str, str, str] | None:
    """The presenter never named on air whom the description names ("She spoke to presenter
    NAME after the match.", "Presented by NAME and NAME"): given to the one anchor left
    unnamed, where the description names exactly one presenter whom no speaker is (co-anchors:
    the other presenter named on air)."""
    unnamed = [s for s, role in roles.items() if role is SpeakerRole.ANCHOR and s not in names]
    if len(unnamed) != 1:
        return None
    presenters = {}
    for person, context in meta_people:
        start = context.find(person)
        if start < 0:
            continue
        pair = _PRESENTER_PAIR.search(context[:start])
        if pair:
            # The first of the pair counts even where the recogniser missed it as a person.
            presenters.setdefault(pair.group("first"), context.strip())
        if pair or _PROGRAMME_PRESENTER.search(context[:start]):
            presenters.setdefault(person, context.strip())
    left = {
        person: context
        for person, context in presenters.items()
        if not any(_same_person(person, name) or _part_of(name, person) for name in names.values())
    }
    if len(left) != 1:
        return None
    (person, context), = left.items()
    return unnamed[0], person, context


def _description_roles(names: dict[str, str], meta_people: list[tuple[str, str]], turns: list[_Turn]) -> list[_Clue]:
    """A named speaker whom the title or description describes: a presenter ("Forecast with
    meteorologist Callum Reyes-Whitaker", "Host Rachel Feng") is an anchor; otherwise the
    title before the name or the apposition after it ("Senator", ", an emergency nurse")."""
    clues = []
    for speaker, name in names.items():
        for person, context in meta_people:
            if not (person == name or len(name.split()) == 1 and person.split()[0] == name) or person not in context:
                continue
            start = context.find(person)
            if _PRESENTER.search(context[:start]):
                role = SpeakerRole.ANCHOR
            else:
                role = _describe_role(_description_around(context, start, start + len(person)))
            if role:
                clues.append(_Clue(speaker, "described in the title or description", context.strip(), -1, role=role))
    return clues


def _clues(turns: list[_Turn], ctx: _Context) -> list[_Clue]:
    clues: list[_Clue] = []
    for i, turn in enumerate(turns):
        clues += _self_clues(turn, ctx)
        if i + 1 < len(turns):
            clues += _end_of_turn_clues(turn, turns[i + 1], ctx)
        if i > 0:
            clues += _start_of_turn_clues(turns[i - 1], turn, ctx)
    return clues


def _roles(
    turns: list[_Turn], real: list[str], clues: list[_Clue], programme: bool = False
) -> tuple[dict[str, SpeakerRole], dict[str, list]]:
    """Each real speaker's role from the clues. No role at all where nothing shows a programme
    (no introduction, no strong role cue, no presenter or reporter in the title or description):
    a conversation, not news."""
    roles: dict[str, SpeakerRole] = {}
    evidence: dict[str, list] = defaultdict(list)
    votes: dict[str, Counter] = defaultdict(Counter)
    for clue in clues:
        if clue.role and clue.speaker in real:
            votes[clue.speaker][clue.role] += clue.weight
            if clue.record() not in evidence[clue.speaker]:
                evidence[clue.speaker].append(clue.record())

    # The anchor introduces others: every introduction (not a quote) made by a speaker counts.
    real_turns = [t for t in turns if t.speaker in real]
    first_turn: dict[str, int] = {}
    for turn in turns:
        first_turn.setdefault(turn.speaker, turn.index)
    introduced: dict[str, set] = defaultdict(set)
    for clue in clues:
        if clue.rule.startswith(("introduction", "hand-over", "question addressed")) and 0 <= clue.turn < len(turns):
            giver = turns[clue.turn].speaker
            # Introducing someone new, not handing back to someone already heard.
            if giver != clue.speaker and giver in real and clue.turn < first_turn[clue.speaker]:
                introduced[giver].add(clue.speaker)
    introduced_by = Counter({giver: len(people) for giver, people in introduced.items()})
    news = programme or bool(introduced_by) or any(c.role is not None and c.weight >= 1.0 for c in clues)
    if not news or not real_turns:
        return {}, {}
    # One handed over to as a reporter ("Let's go to NAME in Kirkwall") who then introduces a
    # voice ("On the line now is ...") does so inside the report: no anchor for that.
    sent_to_report = {
        c.speaker
        for c in clues
        if c.role is SpeakerRole.CORRESPONDENT and c.rule.startswith("introduction") and 0 <= c.turn < len(turns) and turns[c.turn].speaker != c.speaker
    }
    candidates = [
        s for s in real
        if introduced_by[s] and (s not in sent_to_report or s == real_turns[0].speaker) or (s == real_turns[0].speaker and not votes[s])
    ]
    for speaker in candidates:
        score = introduced_by[speaker] * 2.0 + (1.0 if real_turns[0].speaker == speaker else 0.0) + (0.5 if real_turns[-1].speaker == speaker else 0.0)
        if _NEWS_OPENER.search(real_turns[0].text) and real_turns[0].speaker == speaker:
            score += 1.0
        votes[speaker][SpeakerRole.ANCHOR] += score
        evidence[speaker].append({"rule": "introduces others" if introduced_by[speaker] else "opens the item", "introductions": introduced_by[speaker]})
    for speaker in real:
        if not votes[speaker]:
            continue
        ranked = votes[speaker].most_common()
        if len(ranked) > 1 and ranked[1][1] == ranked[0][1]:
            evidence[speaker].append({"rule": "conflicting roles", "roles": [r.value for r, _ in ranked[:2]]})
            continue
        roles[speaker] = ranked[0][0]
    # Someone who thanks a reporter by name after the report, with nothing else said of them,
    # presents the programme: a co-anchor taking over ("Tilde, thank you. The council has ...").
    thanks_rules = ("name, then thanks", "greeting or thanks with a name")
    for speaker in real:
        if speaker in roles or votes[speaker]:
            continue
        thanked = [
            c for c in clues
            if c.rule in thanks_rules and 0 <= c.turn < len(turns) and turns[c.turn].speaker == speaker
            and c.speaker != speaker and roles.get(c.speaker) is SpeakerRole.CORRESPONDENT
        ]
        if thanked:
            roles[speaker] = SpeakerRole.ANCHOR
            evidence[speaker].append({"rule": "thanks a reporter by name after the report", "words": thanked[0].words, "turn": thanked[0].turn})
    # Someone the anchor questions or thanks by name, with nothing else said of them, is
    # someone the programme interviews: a guest ("Tadhg, what a night!" ... "Tadhg
    # Mulcahy-Brennan, thank you", where the ASR heard "with me as" for "with me is").
    addressed_rules = ("question addressed by name", "name, then thanks", "greeting or thanks with a name")
    for speaker in real:
        if speaker in roles or votes[speaker]:
            continue
        by_anchor = [
            c for c in clues
            if c.speaker == speaker and c.rule in addressed_rules and 0 <= c.turn < len(turns)
            and roles.get(turns[c.turn].speaker) is SpeakerRole.ANCHOR and turns[c.turn].speaker != speaker
        ]
        if by_anchor:
            roles[speaker] = SpeakerRole.GUEST
            evidence[speaker].append({"rule": "addressed by name by the anchor, nothing else known", "words": by_anchor[0].words, "turn": by_anchor[0].turn})
    # Vox pops come in runs: an unnamed first voice right after a member of the public, with
    # no cue of its own, is one more ("Riders we spoke to ..." + two riders).
    for previous, turn in zip(turns, turns[1:]):
        if (
            turn.speaker in real
            and turn.speaker not in roles
            and not votes[turn.speaker]
            and first_turn[turn.speaker] == turn.index
            and roles.get(previous.speaker) is SpeakerRole.MEMBER_OF_THE_PUBLIC
        ):
            roles[turn.speaker] = SpeakerRole.MEMBER_OF_THE_PUBLIC
            evidence[turn.speaker].append({"rule": "follows another vox pop", "turn": turn.index})
    # A voice of a news item that nothing names, introduces or describes is one of the public:
    # a programme cues its own people, its guests and the officials it quotes ("our reporter",
    # "joins us", "the minister said"), and leaves a vox pop bare. "Other" is for recordings
    # that are no news (returned above), where no voice has a news role.
    for speaker in real:
        if speaker not in roles and not votes[speaker]:
            roles[speaker] = SpeakerRole.MEMBER_OF_THE_PUBLIC
            evidence[speaker].append({"rule": "a voice of the news nothing names, introduces or describes"})
    return roles, evidence


def _first_name_before_a_word(name: str, meta_people: list[tuple[str, str]]) -> str:
    """The first name alone where the words after it are the next sentence the ASR ran on
    ("Thanks, Thandiwe Thick, smoke hung ..." for "Thanks, Thandiwe. Thick smoke ..."): the
    description names one person of that first name with another surname, and the heard
    surname is a common English word."""
    tokens = name.split()
    if len(tokens) != 2 or zipf_frequency(_clean(tokens[1]).lower(), "en") < ner.COMMON_WORD_ZIPF:
        return name
    described = {p for p, _ in meta_people if len(p.split()) > 1 and p.split()[0] == tokens[0]}
    if len(described) != 1 or any(_same_person(name, p) for p in described):
        return name
    return tokens[0]


def _names(
    clues: list[_Clue],
    real: list[str],
    meta_people: list[tuple[str, str]],
    confidence: dict[str, float],
    caption_text: str | None,
    video_text: str = "",
) -> tuple[dict[str, str], dict[str, list]]:
    evidence: dict[str, list] = defaultdict(list)
    chosen: dict[str, tuple[str, float]] = {}
    for speaker in real:
        mine = [c for c in clues if c.speaker == speaker and c.name]
        if not mine:
            continue
        votes: Counter = Counter()
        for clue in mine:
            # One record for the same words giving the same name twice (a recognised person and
            # the capitalised run around it).
            if not clue.role and clue.record() not in evidence[speaker]:
                evidence[speaker].append(clue.record())
            heard = _first_name_before_a_word(clue.name, meta_people)
            if heard != clue.name:
                evidence[speaker].append({"rule": "a first name the description gives, then a common word", "heard": clue.name, "name": heard})
            spelled = _video_spelling(heard)
            respelled = {"rule": "heard name sounds like the title's or description's", "heard": heard, "name": spelled}
            if spelled and spelled != heard and respelled not in evidence[speaker]:
                evidence[speaker].append(respelled)
            votes[spelled or heard] += clue.weight
        # A first name (or surname) joins the full name that this speaker's own evidence gives
        # ("Anna Cunningham is in London ... Anna?"), never one merely spoken elsewhere; heard
        # differently, it still sounds the same ("Ruair?" after "Ruairí Devlin").
        for name in sorted(votes, key=lambda n: len(n.split())):
            fuller = [n for n in votes if n != name and _part_of(name, n)]
            if len({*fuller}) == 1:
                votes[fuller[0]] += votes.pop(name)
        # One person under two spellings (ASR and description) is one vote.
        for name in list(votes):
            for other in list(votes):
                if name != other and name in votes and other in votes and _same_person(name, other):
                    keep, drop = (name, other) if votes[name] >= votes[other] else (other, name)
                    votes[keep] += votes.pop(drop)
        # The same surname with a first name heard two ways, one of them as the video spells it
        # ("Caoimhe Brannigan" in the introduction, "Keeva Brannigan" in the sign-off: an Irish
        # name no letter or sound code links) is that one person, in the video's spelling.
        spelled_people = {p for p, _ in meta_people} | set(_VIDEO_PERSONS.get())
        for name in list(votes):
            for other in list(votes):
                if (
                    name in votes and other in votes and name != other
                    and name in spelled_people and other not in spelled_people
                    and _same_surname(name, other)
                ):
                    votes[name] += votes.pop(other)
        ranked = votes.most_common()
        if len(ranked) > 1 and ranked[1][1] * 2 > ranked[0][1]:
            evidence[speaker].append({"rule": "conflicting names", "names": [n for n, _ in ranked[:3]]})
            continue
        name, weight = ranked[0]
        if len(name.split()) == 1:
            # A surname alone after a title ("Senator Warren") is not a name, and a first name
            # alone is what colleagues call each other on air ("Thanks, Thandiwe."): a title or
            # description that spells out one person with that surname or first name links it.
            linked = [p for p, _ in meta_people if len(p.split()) > 1 and name in (p.split()[0], p.split()[-1])]
            if len({*linked}) == 1:
                evidence[speaker].append({"rule": "surname or first name linked by the description", "name": linked[0]})
                name = linked[0]
        spelled, why = _spelling(name, meta_people, confidence, caption_text, video_text)
        evidence[speaker].append({"rule": "spelling", "name": name, "why": why})
        if spelled is None:
            continue
        chosen[speaker] = (spelled, weight)
    by_name: dict[str, list[str]] = defaultdict(list)
    for speaker, (name, _) in chosen.items():
        by_name[name].append(speaker)
    names: dict[str, str] = {}
    for name, speakers in by_name.items():
        speakers.sort(key=lambda s: chosen[s][1], reverse=True)
        if len(speakers) > 1 and chosen[speakers[0]][1] < 2 * chosen[speakers[1]][1]:
            for s in speakers:
                evidence[s].append({"rule": "name claimed by two speakers", "name": name})
            continue
        names[speakers[0]] = name
    # A first name or surname alone that is part of another speaker's full name is that
    # speaker's, misplaced by a turn boundary ("Back to you, Darnell" heard as the anchor's), or
    # someone else of the same name: either way not surely this speaker's.
    for speaker, name in list(names.items()):
        fuller = [other for other, full in names.items() if other != speaker and len(name.split()) == 1 and _part_of(name, full)]
        if fuller:
            evidence[speaker].append({"rule": "part of another speaker's name", "name": name, "other": names[fuller[0]]})
            del names[speaker]
    return names, evidence
