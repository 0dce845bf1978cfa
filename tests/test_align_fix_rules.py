"""The fixer's rules on made-up evidence: a stub scorer stands for Whisper, so each test says
exactly what the audio "prefers" and checks what the rules make of it."""

from __future__ import annotations

from align import EntityLexicon, FixOptions, fix_and_score
from retranscribe.results import CorrectionStatus
from retranscribe.transcript import CaptionCue, CaptionTrack, Segment, Transcript, Word


class StubScorer:
    """Log-probability of each word of a text: ``costs`` by word (heard words cost -0.1), a
    word written twice in a row costs ``repeat``, and a word costs ``without_prompt`` instead
    when no prompt names it (a rare name Whisper does not expect)."""

    def __init__(self, costs: dict[str, float], repeat: float = -0.1, without_prompt: dict[str, float] | None = None):
        self.costs = costs
        self.repeat = repeat
        self.without_prompt = without_prompt or {}

    def token_log_probs(self, start: float, text: str, prompt: str | None = None):
        words = text.split()
        probs = []
        for i, word in enumerate(words):
            if i and word.lower() == words[i - 1].lower():
                probs.append(self.repeat)
            elif word in self.without_prompt and not (prompt and word in prompt):
                probs.append(self.without_prompt[word])
            else:
                probs.append(self.costs.get(word, -0.1))
        return [hash(w) for w in words], probs


def transcript(text: str) -> Transcript:
    words = [Word(i * 0.4, i * 0.4 + 0.3, " " + w, 0.95) for i, w in enumerate(text.split())]
    return Transcript([Segment(0.0, len(words) * 0.4, text, words)], language="en")


def fixed_text(captions: str, heard: str, scorer: StubScorer, title: str = "", description: str = "") -> tuple[str, list]:
    lexicon = EntityLexicon.from_video(title, description, captions)
    result = fix_and_score(CaptionTrack([CaptionCue(None, None, captions)], language="en"), transcript(heard), scorer, lexicon, options=FixOptions(second_judge=""))
    return " ".join(c.text for c in result.fixed_cues), result.corrections


def test_a_word_written_twice_goes_where_the_audio_speaks_against_the_repeat():
    captions = "The court ruled today and the the majority found the law went too far"
    heard = "The court ruled today and the majority found the law went too far"
    text, _ = fixed_text(captions, heard, StubScorer({}, repeat=-6.0))
    assert text == heard
    # a repeat the audio does not speak against ("that that" said twice) stays
    text, _ = fixed_text(captions, heard, StubScorer({}, repeat=-0.1))
    assert text == captions


def test_a_name_split_into_common_words_takes_the_videos_spelling():
    captions = "Good evening For Meridian News I'm Marcus Della Croix Burn at City Hall tonight"
    heard = "Good evening For Meridian News I'm Marcus Delacroix Burn at City Hall tonight"
    description = "Meridian News' Marcus Delacroix-Byrne reports from City Hall."
    # Whisper finds the rare name improbable without the video's names, likely with them
    scorer = StubScorer({"Della": -1.5, "Croix": -1.5, "Burn": -1.5}, without_prompt={"Delacroix-Byrne": -9.0})
    text, corrections = fixed_text(captions, heard, scorer, "Council budget", description)
    assert "Marcus Delacroix-Byrne at City Hall" in text
    fix = next(c for c in corrections if c.status is CorrectionStatus.FIXED and c.fixed_words == ["Delacroix-Byrne"])
    assert fix.caption_words == ["Della", "Croix", "Burn"] and fix.evidence["name_position"]


def test_a_real_word_in_a_non_name_context_is_no_name():
    captions = "The border bill now goes to the House and the bill is long"
    heard = "The border bill now goes to the House and the bill is long"
    # even an audio that would prefer the name never turns a lower-case "bill" into Hill
    scorer = StubScorer({"bill": -3.0, "Hill": -0.1})
    text, corrections = fixed_text(captions, heard, scorer, "Senate vote", "Jane Okwuosa-Hart reports from Capitol Hill.")
    assert text == captions
    assert not any(c.fixed_words == ["Hill"] for c in corrections)


def test_a_fix_keeps_a_caption_word_the_audio_says_little_against_alone():
    captions = "economists say it is a catastrophe for the region"
    heard = "economists say it isn't the catastrophe for the region"
    # the audio is clear about "isn't", not about "the"
    scorer = StubScorer({"is": -8.0, "a": -0.4, "the": -0.1, "isn't": -0.1})
    text, _ = fixed_text(captions, heard, scorer)
    assert text == "economists say it isn't a catastrophe for the region"
