"""Speaker roles and names from what is said (diarize/roles.py), on transcripts built from real
text: the seed's truth, the pyannote telephone call, and news phrasings written for these
tests (not taken from the evaluation corpus, so they check the rules on wording they were not
tuned to). Each pitfall of issue 14 has its own case."""

from __future__ import annotations

import json

import pytest

from diarize import label_speakers
from retranscribe.transcript import (
    CaptionCue,
    CaptionTrack,
    Speaker,
    SpeakerRole,
    Transcript,
    VideoMetadata,
    Word,
    segments_from_words,
)

ANCHOR, CORRESPONDENT, OFFICIAL = SpeakerRole.ANCHOR, SpeakerRole.CORRESPONDENT, SpeakerRole.QUOTED_OFFICIAL
GUEST, PUBLIC, OTHER = SpeakerRole.GUEST, SpeakerRole.MEMBER_OF_THE_PUBLIC, SpeakerRole.OTHER


def transcript(*turns: tuple[str, str], probabilities: dict[str, float] | None = None) -> Transcript:
    """Turns of (speaker, text) as a transcript: 0.3 s a word, speaker ids on the words."""
    words, clock = [], 0.0
    for speaker, text in turns:
        for token in text.split():
            probability = (probabilities or {}).get(token.strip(".,?!"), 0.95)
            words.append(Word(clock, clock + 0.3, token, probability, speaker))
            clock += 0.35
        clock += 0.8
    return Transcript(segments=segments_from_words(words))


def labelled(*turns, metadata: VideoMetadata | None = None, **kwargs) -> dict[str, Speaker]:
    return {s.id: s for s in label_speakers(transcript(*turns, **kwargs.pop("t", {})), metadata, **kwargs)}


def test_seed_truth_turns_keep_three_roles_and_three_names(reference_transcript, samples):
    metadata = VideoMetadata.from_dict(json.loads((samples / "info.json").read_text()))
    truth = {s.id: s for s in reference_transcript.speakers}
    found = {s.id: s for s in label_speakers(reference_transcript, metadata)}
    assert {k: (s.role, s.name) for k, s in found.items()} == {k: (s.role, s.name) for k, s in truth.items()}
    # Evidence says which words gave each name.
    assert any("Anna Cunningham is in London" in str(e) for e in found["correspondent"].evidence)
    assert any("John Kirby" in str(e) for e in found["official"].evidence)


def test_telephone_call_gets_no_news_roles(samples):
    """Two people on the phone (pyannote's sample, real speech): no one is an anchor or a
    correspondent; they introduce themselves, so their names may be given."""
    stm = samples / "pyannote_sample" / "sample.stm"
    turns = [(line.split(maxsplit=5)[2], line.split(maxsplit=5)[5]) for line in stm.read_text().splitlines() if line.strip()]
    found = labelled(*turns)
    assert {s.role for s in found.values()} == {OTHER}
    assert all(s.name in (None, s.id) for s in found.values())  # the STM's speaker ids are their names


def test_meeting_without_cues_gets_other_and_no_names():
    found = labelled(
        ("A", "Okay, shall we start? The first thing on the list is the budget for the spring fair."),
        ("B", "I had a look at last year's numbers and we spent far too much on the tents."),
        ("C", "We could borrow them from the school this time, they offered last autumn."),
        ("D", "That works for me. Can someone write to them this week?"),
        ("A", "I will do it. Next item, the parking."),
        ("B", "The field by the church should be enough if we mark it out properly."),
    )
    assert {s.role for s in found.values()} == {OTHER}
    assert {s.name for s in found.values()} == {None}


def test_two_speakers_the_second_is_not_automatically_a_correspondent():
    found = labelled(
        ("host", "Hospitals across the region are short of beds again this winter. Joining me now is Health "
                 "Secretary Miriam Okonkwo-Hale. Secretary, thank you for being with us."),
        ("guest", "Thank you for having me. We have opened four hundred extra beds since November and we will "
                  "open more before the end of the month."),
        ("host", "Is that enough, though?"),
        ("guest", "It is a start. No one is pretending the pressure is over, and we are asking people to use "
                  "pharmacies and walk-in clinics where they can."),
        ("host", "Miriam Okonkwo-Hale, thank you."),
    )
    assert (found["host"].role, found["host"].name) == (ANCHOR, None)
    assert (found["guest"].role, found["guest"].name) == (OFFICIAL, "Miriam Okonkwo-Hale")


def test_live_guest_who_is_not_an_official_is_a_guest():
    found = labelled(
        ("anchor", "Scientists say this summer was the warmest on record for the North Sea. With us in the studio "
                   "is oceanographer Bjorn Castellano-Reyes of the University of Aberdeen. Thanks for coming in."),
        ("guest", "My pleasure. The surface water was two degrees above the average for most of August, and that "
                  "matters a great deal for fish stocks."),
        ("anchor", "Bjorn Castellano-Reyes, thank you."),
    )
    assert (found["guest"].role, found["guest"].name) == (GUEST, "Bjorn Castellano-Reyes")
    assert found["anchor"].role is ANCHOR


def test_title_of_any_length_stays_out_of_the_name_and_places_never_become_names():
    found = labelled(
        ("anchor", "The government has announced new limits on energy prices. Our political editor Helen Marsh "
                   "has more."),
        ("reporter", "The announcement came after a cabinet meeting that ran late into the night. Prime Minister "
                     "Keir Starmer told reporters at the White House. Take a listen."),
        ("pm", "We will not let families carry this alone. The cap will hold through the winter and we will "
               "review it in the spring."),
        ("reporter", "The opposition says the plan does not go far enough. Helen Marsh, BBC News, Westminster."),
        ("anchor", "Thanks, Helen."),
    )
    assert (found["pm"].role, found["pm"].name) == (OFFICIAL, "Keir Starmer")
    assert (found["reporter"].role, found["reporter"].name) == (CORRESPONDENT, "Helen Marsh")
    names = {s.name for s in found.values()}
    assert not names & {"White House", "Westminster", "BBC News", "Senator"}


@pytest.mark.parametrize("place", ["Athens", "Austin", "Washington"])
def test_sign_off_names_the_one_speaking_not_the_next(place):
    found = labelled(
        ("anchor", "Wildfires have forced thousands from their homes. Carlos Mendoza-Vidal reports."),
        ("reporter", "The flames reached the edge of the town before dawn. Firefighters worked through the night "
                     f"to save the church and the school. Carlos Mendoza-Vidal, Channel 4 News, {place}."),
        ("anchor2", "In other news, the central bank has left interest rates unchanged for a third month."),
    )
    assert found["reporter"].name == "Carlos Mendoza-Vidal"
    assert found["anchor2"].name is None  # "Austin" is a first name too, but here a place


def test_thanks_in_title_case_are_no_sign_off():
    """An ASR prompted with a list of names may write in title case: "Marta Quiroga, Thank
    you." thanks the guest; it is no sign-off naming the host after the guest."""
    found = labelled(
        ("host", "Good evening, I'm Owen Pritchard. Joining me now is Marta Quiroga, A Volcanologist At The "
                 "Institute. Marta, what happened this morning?"),
        ("guest", "The crater wall gave way just after six and the ash column rose about nine kilometres. "
                  "We expect more activity over the next few days."),
        ("host", "Marta Quiroga, Thank you."),
    )
    assert found["host"].name == "Owen Pritchard"
    assert found["guest"].name == "Marta Quiroga"


def test_thank_you_senator_names_no_one_senator():
    found = labelled(
        ("anchor", "The farm bill passed the Senate tonight. Senator Ruth Albrecht voted for it and she joins us "
                   "now. Senator, what persuaded you?"),
        ("senator", "The drought money. Families in my state have waited two years for that help and they "
                    "cannot wait any longer."),
        ("anchor", "Thank you, Senator."),
    )
    assert found["senator"].name == "Ruth Albrecht"
    assert found["senator"].role is OFFICIAL
    assert "Senator" not in {s.name for s in found.values()}


def test_thanks_to_is_not_a_thank_you():
    found = labelled(
        ("anchor", "Grain prices rose again this week. Our correspondent Oksana Levchenko-Bright is in Odesa for us."),
        ("reporter", "The ports are working again, but insurance costs have tripled and shippers are nervous. "
                     "The exporters say that is down to the attacks on the port."),
        ("anchor2", "Putin, thanks to the blockade, has made grain the centre of this war, some analysts argue."),
    )
    assert found["reporter"].name == "Oksana Levchenko-Bright"
    assert not any(isinstance(e, dict) and e.get("name") == "Putin" for e in found["reporter"].evidence)


def test_title_alone_gives_a_role_but_no_name():
    found = labelled(
        ("anchor", "A last word on the vote from the committee chair. Chairwoman, are you satisfied?"),
        ("chair", "Not yet. The amendment still has to pass the full house and that will take a week at least."),
        ("anchor", "Thank you, Chairwoman."),
    )
    assert found["chair"].name is None


def test_a_first_name_is_not_expanded_to_someone_elses_full_name():
    found = labelled(
        ("anchor", "Talks in Geneva have stalled again, the envoy Anna Petrovic said this morning. Our correspondent "
                   "is outside the talks. Anna?"),
        ("reporter", "Yes, the delegations left the building an hour ago without a statement, and the next round "
                     "has not been scheduled."),
    )
    assert found["reporter"].name == "Anna"
    assert found["reporter"].role is CORRESPONDENT


def test_first_name_joins_the_full_name_the_same_evidence_gives():
    found = labelled(
        ("anchor", "Floods have closed the main road north. Let's go to Dominika Szabo-Kiss in Debrecen. "
                   "Dominika, how bad is it there?"),
        ("reporter", "It is bad, the river is still rising and the army has been called in to help with sandbags."),
        ("anchor", "Dominika, thank you."),
    )
    assert (found["reporter"].role, found["reporter"].name) == (CORRESPONDENT, "Dominika Szabo-Kiss")


@pytest.mark.parametrize(
    "handoff",
    [
        "Joining us now from Lagos is our Africa correspondent Tunde Fashola-Obi.",
        "Sky's Tunde Fashola-Obi reports from Lagos.",
        "Tunde Fashola-Obi has more.",
        "We go live now to Tunde Fashola-Obi, who is in Lagos.",
        "Over to our correspondent Tunde Fashola-Obi in Lagos.",
        "Tunde Fashola-Obi is following the story for us.",
    ],
)
def test_hand_off_phrasings_name_the_correspondent(handoff):
    found = labelled(
        ("anchor", f"Nigeria's fuel queues are growing again this week. {handoff}"),
        ("reporter", "The queues here stretch for a kilometre, and some drivers have waited since yesterday evening "
                     "to fill up, with no sign of more tankers arriving soon."),
        ("anchor", "Thanks for that report."),
    )
    assert (found["reporter"].role, found["reporter"].name) == (CORRESPONDENT, "Tunde Fashola-Obi")
    assert (found["anchor"].role, found["anchor"].name) == (ANCHOR, None)


@pytest.mark.parametrize(
    "cue",
    [
        "Fire chief Gareth Llewellyn-Jones told reporters the blaze was under control.",
        "In a statement, fire chief Gareth Llewellyn-Jones said the blaze was under control.",
        "We heard earlier from fire chief Gareth Llewellyn-Jones. Here's what he said.",
        "Fire chief Gareth Llewellyn-Jones spoke to us a short while ago.",
    ],
)
def test_quote_cues_name_the_quoted_official(cue):
    found = labelled(
        ("anchor", "A warehouse fire in Swansea sent smoke across the city overnight. Our reporter has more."),
        ("reporter", f"Crews were called just after midnight, and nearby homes were evacuated. {cue}"),
        ("chief", "We had sixty firefighters here at the height of it. The building is lost, but nobody was hurt, "
                  "and that is what matters."),
        ("reporter", "Investigators will return in the morning to look for the cause."),
    )
    assert (found["chief"].role, found["chief"].name) == (OFFICIAL, "Gareth Llewellyn-Jones")
    assert found["reporter"].role is CORRESPONDENT


def test_vox_pops_are_members_of_the_public_without_names():
    found = labelled(
        ("anchor", "Bus drivers in Leeds are on strike for a second day. Priyanka Rao-Bennett reports."),
        ("reporter", "At the main bus station this morning the stands were empty. I asked one commuter how she "
                     "was getting to work."),
        ("woman", "I walked, it took me an hour and ten minutes. I don't blame the drivers, but it's hard."),
        ("reporter", "Others were less understanding."),
        ("man", "Two days now. I've lost a day's pay already and nobody is telling us when it will end."),
        ("reporter", "Talks are due to resume on Thursday. Priyanka Rao-Bennett, Calendar News, Leeds."),
    )
    assert (found["woman"].role, found["woman"].name) == (PUBLIC, None)
    assert (found["man"].role, found["man"].name) == (PUBLIC, None)
    assert found["reporter"].name == "Priyanka Rao-Bennett"


def test_co_anchors_introduce_themselves():
    found = labelled(
        ("a1", "Good evening and welcome to the six o'clock news. I'm Fenella Whitcombe."),
        ("a2", "And I'm Desmond Achterberg. Tonight, the price of a loaf of bread reaches a record high. Our "
               "business correspondent Ines Moreau-Laurent has been at a bakery in Bristol."),
        ("reporter", "Flour, energy and wages have all gone up, and bakers say they have no choice but to pass it "
                     "on. Ines Moreau-Laurent, Channel Five News, Bristol."),
        ("a1", "Ines, thank you."),
    )
    assert (found["a1"].role, found["a1"].name) == (ANCHOR, "Fenella Whitcombe")
    assert (found["a2"].role, found["a2"].name) == (ANCHOR, "Desmond Achterberg")
    assert (found["reporter"].role, found["reporter"].name) == (CORRESPONDENT, "Ines Moreau-Laurent")


def test_conflicting_names_leave_the_name_empty():
    found = labelled(
        ("anchor", "Markets fell sharply this afternoon. Let's go to Tom Reilly-Shaw in the City."),
        ("reporter", "Good afternoon, Mark. The FTSE lost two percent in the last hour of trading, the worst day "
                     "since March. Back to you, Peter."),
        ("anchor", "Thanks, Tom. And now the weather."),
    )
    assert found["reporter"].name == "Tom Reilly-Shaw"
    assert found["anchor"].name is None  # called Mark and Peter


_DESCRIPTION = VideoMetadata(
    id="x",
    title="Port workers walk out",
    description="Dockers at Felixstowe began a 48-hour strike. Reporter Siobhan Kealty-Moran was at the gates.",
)
_PORT = (
    ("anchor", "Dockers at Felixstowe have walked out. Siobhan Kealty-Moran is at the port."),
    ("reporter", "The gates are shut and the pickets say they will stay until Sunday, when the union meets again."),
)


def test_a_low_confidence_asr_spelling_alone_is_a_guess():
    found = labelled(*_PORT, t={"probabilities": {"Kealty-Moran": 0.2}})
    assert found["reporter"].name is None
    assert any("low confidence" in str(e) for e in found["reporter"].evidence)


def test_the_description_spelling_wins_over_the_asr_spelling():
    turns = [(s, t.replace("Kealty-Moran", "Kelty-Moran")) for s, t in _PORT]
    found = labelled(*turns, metadata=_DESCRIPTION, t={"probabilities": {"Kelty-Moran": 0.2}})
    assert found["reporter"].name == "Siobhan Kealty-Moran"


def test_captions_that_agree_corroborate_and_captions_that_differ_leave_it_empty():
    agree = CaptionTrack([CaptionCue(None, None, " ".join(t for _, t in _PORT))])
    differ = CaptionTrack([CaptionCue(None, None, " ".join(t for _, t in _PORT).replace("Kealty-Moran", "Keltie-Moran"))])
    low = {"probabilities": {"Kealty-Moran": 0.2}}
    assert labelled(*_PORT, t=low, captions=agree)["reporter"].name == "Siobhan Kealty-Moran"
    assert labelled(*_PORT, captions=differ)["reporter"].name is None


def test_a_name_inside_a_turn_is_a_listener_not_a_speaker():
    found = labelled(
        ("anchor", "Rail fares rise again in January. Our transport correspondent is at Waterloo."),
        ("reporter", "Morning, Gemma. What passengers tell me, Victor, is that they have had enough of paying more "
                     "for trains that do not turn up, and the figures back them up."),
    )
    assert found["anchor"].name == "Gemma"
    assert "Victor" not in {s.name for s in found.values()}


def test_evidence_round_trips_through_transcript_json():
    speaker = Speaker("S1", GUEST, "Ada Byron", evidence=[{"rule": "quote cue", "words": "Ada Byron said", "turn": 2}])
    data = Transcript(speakers=[speaker]).to_dict()
    assert data["speakers"][0]["evidence"][0]["rule"] == "quote cue"
    assert Transcript.from_dict(data).speakers[0] == speaker
    # transcript.json written before evidence existed still reads.
    old = Transcript.from_dict({"speakers": [{"id": "S1", "role": "member of the public", "name": None}]})
    assert old.speakers[0].evidence == [] and old.speakers[0].role is PUBLIC


def test_seed_as_the_asr_heard_it():
    """The pipeline's own ASR of the seed (base model): a cue split over three sentences, the
    correspondent's name garbled ("And a cunning ham"), "take a listen" heard as "Hey, Kalasin."
    Roles still follow the evidence; no garbled word becomes a name."""
    found = labelled(
        ("S0", "Internationally today, Russian President Vladimir Putin is making a visit to North Korea. His first "
               "trip to that country in 24 years, the visit will be watched very closely, with Putin looking to shore "
               "up support for his ongoing war on Ukraine and accompanying him is in London with more on what is "
               "expected to come out of these Putin -Gamjong -un meetings today."),
        ("S1", "Morning, Heather, well, the Kremlin is describing this as a rare trip to North Korea, saying it's a "
               "friendly state visit. I think we can certainly expect a desire from both Vladimir Putin and Kim Jong "
               "Un to present themselves on the world stage as having a very close and cooperative relationship. We "
               "have heard from an aide to President Putin who has said that the leaders will be signing a new "
               "strategic partnership, and that is going to replace the one that was last signed between Russia and "
               "North Korea back in 2001. And that's most likely to be assistance with weapons technology, Heather."),
        ("S0", "So, Anna, in terms of reaction, what are Western leaders saying as they watch this meeting very closely?"),
        ("S1", "Well, there certainly is concern from the West about this visit. Now, we have heard from the U .S. "
               "National Security Spokesman, John Kirby. We'll explain why Washington will be watching this closely. "
               "Hey, Kalasin."),
        ("S2", "Yeah, Luke, no surprise that he went to North Korea after his so -called election. We're not "
               "concerned about the trip. What we are concerned about, Trevor, is the deepening relationship."),
        ("S1", "I think the one thing that we can be sure of with this visit is that it is going to be carefully "
               "choreographed. Heather."),
        ("S0", "And a cunning ham, thanks very much, from London this morning."),
    )
    assert (found["S0"].role, found["S0"].name) == (ANCHOR, "Heather")
    assert (found["S1"].role, found["S1"].name) == (CORRESPONDENT, None)
    assert (found["S2"].role, found["S2"].name) == (OFFICIAL, "John Kirby")


@pytest.mark.parametrize(
    "anchor_text",
    [
        "President Zelensky is in Washington for talks at the White House. The prime minister visited the flood "
        "zone in the north this morning. Our correspondent has the latest.",
        "Aid for Ukraine is back on the agenda tonight. President Volodymyr Zelensky is in Washington.",
    ],
)
def test_a_newsmaker_where_a_reporter_would_stand_is_not_the_reporter(anchor_text):
    found = labelled(
        ("anchor", anchor_text),
        ("reporter", "The talks are expected to focus on air defence, and officials here say a new package of aid "
                     "could be announced as early as tomorrow afternoon."),
    )
    assert found["reporter"].name is None


def test_a_turn_ending_on_listen_hands_over_to_the_person_just_named():
    """Another run of the pipeline's ASR on the seed heard "Take a listen." as "Hey, listen.",
    the official's answer as one long turn (not a short soundbite), and put one of its words on
    the correspondent."""
    found = labelled(
        ("S0", "So, Anna, in terms of reaction, what are Western leaders saying as they watch this meeting very closely?"),
        ("S1", "Well, there certainly is concern from the West about this visit. Now, we have heard from the U .S. "
               "National Security spokesman, John Kirby, who explained why Washington will be watching this closely. "
               "Hey, listen."),
        ("S2", "Yeah, look, no surprise that he went to North Korea after his so -called election, a little nailed by "
               "her that that was he was going to go on a little bit of an offensive here, and that's what he appears "
               "to be doing. We're not concerned about the trip, what we are concerned about,"),
        # Diarization gave the correspondent a word of the official's answer ("though" heard as a name).
        ("S1", "Trevor,"),
        ("S2", "is the deepening relationship between these two countries, and we will be watching that very closely."),
        ("S1", "Now, due to the very secretive nature of North Korea, the closest that we've seen to what's happening "
               "has been from satellite imagery. It is going to be carefully choreographed. Heather."),
    )
    assert (found["S2"].role, found["S2"].name) == (OFFICIAL, "John Kirby")
    assert found["S1"].name not in {"John Kirby", "Trevor"}


def test_captions_without_the_name_leave_the_asr_spelling_unconfirmed():
    """The captions never write the name (nor anything like it): a confidently heard ASR
    spelling is still the ASR's alone, and a wrong name is worse than none."""
    silent = CaptionTrack([CaptionCue(None, None, " ".join(t for _, t in _PORT).replace("Siobhan Kealty-Moran", "our reporter"))])
    found = labelled(*_PORT, captions=silent)
    assert found["reporter"].name is None
    assert any("captions do not have it" in str(e) for e in found["reporter"].evidence)
    assert labelled(*_PORT)["reporter"].name == "Siobhan Kealty-Moran"  # no captions: as spoken


def test_a_common_word_is_no_name_on_its_own():
    """A capital the ASR put on a common word ("My", "Heat" both became names on the corpus)
    is no evidence of a person, unless the video names someone so in full; a first name that is
    no common word is."""
    from diarize import ner

    assert not ner.reads_as_person("My") and not ner.reads_as_person("Heat") and not ner.reads_as_person("Will")
    assert ner.reads_as_person("Will", frozenset({"will"}))
    assert ner.reads_as_person("Fiona") and ner.reads_as_person("Trevor")


def whisper(*turns: tuple[str, str]) -> Transcript:
    """Turns as faster-whisper writes its words: each with a leading space, except where it
    splits a word after the character that joins it (marked "|" here: " Haddad" "-Mercer")."""
    words, clock = [], 0.0
    for speaker, text in turns:
        for chunk in text.split():
            for position, part in enumerate(chunk.split("|")):
                words.append(Word(clock, clock + 0.3, (" " if position == 0 else "") + part, 0.9, speaker))
                clock += 0.35
        clock += 0.8
    return Transcript(segments=segments_from_words(words))


def test_a_name_whisper_splits_at_its_hyphen_is_one_name():
    found = {s.id: s for s in label_speakers(whisper(
        ("anchor", "Wildfires are burning near the coast tonight. Our correspondent Zainab Haddad|-Mercer is in Faro. Zainab?"),
        ("reporter", "The fire has reached the edge of the town, and the roads south are closed. Firefighters say it "
                     "could take days to bring it under control."),
    ))}
    assert (found["reporter"].role, found["reporter"].name) == (CORRESPONDENT, "Zainab Haddad-Mercer")


def test_a_fragment_cut_off_by_diarization_joins_the_voice_whose_sentence_it_is():
    """Diarization put the first word of the reporter's cue on the next voice ("Not" |
    "everyone in the queue agreed."), and the reporter's hand-back name on a third voice."""
    turns = (
        ("anchor", "Bin collections stop next week while the council replaces its lorries. Our reporter is at the depot."),
        ("reporter", "Half the lorries failed their last inspection. Council leader Imran Siddiqui-Boyle said the "
                     "council had to act."),
        ("official", "We had no choice, the lorries were not safe to drive and the repairs cost more than new ones."),
        ("public", "Not"),
        ("reporter", "everyone in the queue at the tip agreed."),
        ("public", "Two weeks without a collection is too long. The bins will be overflowing by Friday, and then what?"),
        ("reporter", "Collections restart on the twelfth. Back to the studio,"),
        ("official", "Harriet."),
        ("anchor", "Thanks. Now the weather."),
    )
    found = labelled(*turns)
    assert found["public"].role is PUBLIC and found["public"].name is None
    assert (found["official"].role, found["official"].name) == (OFFICIAL, "Imran Siddiqui-Boyle")
    assert found["anchor"].name == "Harriet"


_HARBOUR = VideoMetadata(
    id="x", title="Harbour fire", description="Fire crews fought a blaze at the harbour overnight. Reports from Mairead Okonkwo-Lyle in Portsmouth."
)


@pytest.mark.parametrize(
    "heard, expected",
    [
        ("Mared Okonkwo Lyle", "Mairead Okonkwo-Lyle"),  # first name and surname sound the same
        ("Mairead Okon Kwo Lyle", "Mairead Okonkwo-Lyle"),  # a surname heard in several words
        # The same first name is not the same person: the heard name stands (the captions agree).
        ("Mairead Collins", "Mairead Collins"),
    ],
)
def test_a_heard_name_takes_the_descriptions_spelling_only_when_it_sounds_the_same(heard, expected):
    turns = (
        ("anchor", f"A fire at Portsmouth harbour burned through the night. {heard} is there for us."),
        ("reporter", "The flames are out, but the warehouses along the quay are still smoking this morning."),
    )
    captions = CaptionTrack([CaptionCue(None, None, " ".join(t for _, t in turns))])
    found = labelled(*turns, metadata=_HARBOUR, captions=captions, t={"probabilities": {heard.split()[-1]: 0.3}})
    assert found["reporter"].name == expected
    respelled = [e for e in found["reporter"].evidence if e.get("heard") == heard]
    assert bool(respelled) == (expected != heard)


def test_a_name_that_runs_on_into_the_next_sentence_is_cut_where_the_description_ends_it():
    """No full stop after the name, in the ASR or the captions: "I'm Oona Farrell Listeners in ..."."""
    meta = VideoMetadata(id="x", title="Power cuts", description="Host Oona Farrell talks to engineers about the outage.")
    found = labelled(
        ("host", "This is Midday, I'm Oona Farrell Listeners in the north have been without power for two days. "
                 "Joining me now is engineer Tamsin Achebe-Rowe. Tamsin, what went wrong?"),
        ("guest", "A substation flooded, and the backup lines were already down for maintenance, so there was no way "
                  "to reroute the power."),
        metadata=meta,
    )
    assert found["host"].name == "Oona Farrell"


def test_go_ahead_is_a_phone_in_cue_only_where_it_ends_the_turn():
    found = labelled(
        ("anchor", "The bus strike is on. Let's go to Petra Lindahl-Ross in Leeds, where the strike will go ahead "
                   "on Monday. Petra, what are people saying?"),
        ("reporter", "Most people here have made other plans, but the queues at the taxi rank are already long."),
    )
    assert (found["reporter"].role, found["reporter"].name) == (CORRESPONDENT, "Petra Lindahl-Ross")


def test_a_question_addressed_after_a_comma_names_the_one_who_answers():
    meta = VideoMetadata(id="x", title="Storm warning", description="Gales expected on the west coast. Forecast with Megan Ellery-Shaw.")
    found = labelled(
        ("anchor", "Storm Dara reaches the west coast tonight, and ferries are cancelled, Megan, how strong will the winds get?"),
        ("weather", "Gusts of up to ninety miles an hour on exposed coasts, easing by Sunday morning, so stay away "
                    "from the sea front."),
        metadata=meta,
    )
    # The description spells out the one Megan: her name is the full one.
    assert (found["weather"].role, found["weather"].name) == (ANCHOR, "Megan Ellery-Shaw")
    found = labelled(
        ("anchor", "Storm Dara reaches the west coast tonight, and ferries are cancelled, Megan, how strong will the winds get?"),
        ("weather", "Gusts of up to ninety miles an hour on exposed coasts, easing by Sunday morning, so stay away "
                    "from the sea front."),
    )
    assert found["weather"].name == "Megan"


def test_a_cue_with_a_pronoun_quotes_the_person_named_last():
    found = labelled(
        ("anchor", "Smoke from the moorland fire has reached the city. Our reporter is there."),
        ("reporter", "Schools are closed and buses are running on a reduced timetable, and the city's fire chief, "
                     "Halvard Brekke-Onu, wants people to keep their windows shut, as he put it this afternoon."),
        ("official", "Close your windows, stay inside, and check on anyone who lives alone."),
        ("reporter", "The fire is expected to burn until the weekend."),
    )
    assert (found["official"].role, found["official"].name) == (OFFICIAL, "Halvard Brekke-Onu")


def test_a_first_name_that_is_part_of_another_speakers_name_is_not_this_speakers():
    """The anchor's thanks diarized onto the reporter's turn end reads as a hand-back naming the
    anchor with the reporter's first name."""
    found = labelled(
        ("anchor", "Storms battered the coast overnight. Daniel Vasquez-Lind is at the harbour for us."),
        ("reporter", "Boats were torn from their moorings, and the sea wall has a gap you could drive a car through. "
                     "Back to you. Thank you, Daniel."),
        ("anchor", "The clean-up starts tomorrow. Now the sport."),
    )
    assert found["reporter"].name == "Daniel Vasquez-Lind"
    assert found["anchor"].name is None
    assert any(e["rule"] == "part of another speaker's name" for e in found["anchor"].evidence)


def test_a_place_the_description_names_never_becomes_a_name():
    """The small recogniser labels "Broken Arrow" a person in the description; a run of common
    words only lends a spelling, it never makes a heard name a person's."""
    meta = VideoMetadata(id="x", title="Floods in Broken Arrow",
                         description="Roads around Broken Arrow are closed after overnight flooding.")
    found = labelled(
        ("anchor", "Rivers burst their banks overnight. We go live now to Broken Arrow."),
        ("reporter", "The water is still rising here, and the fire service has been taking people out of their homes by boat."),
        metadata=meta,
    )
    assert found["reporter"].name is None


def test_every_voice_in_a_run_of_soundbites_inside_a_report_is_placed():
    # The reporter names the official in the last sentence with no speech verb, and the small
    # recogniser reads the name as a place out of context; a second voice, never introduced,
    # follows the official before the reporter returns.
    metadata = VideoMetadata(
        id="x",
        title="Dam repairs finished early",
        description="Engineers reopened the Holmfirth reservoir road a week early. Reporter Odile Fanshawe-Briggs "
                    "reports. Harbour Master Ragnar Stenhammar oversaw the repairs.",
    )
    found = labelled(
        ("anchor", "The reservoir road at Holmfirth has reopened a week early. Odile Fanshawe-Briggs reports."),
        ("reporter", "Divers spent nine days sealing the crack in the spillway. Harbour Master Ragnar Stenhammar "
                     "oversaw the repairs."),
        ("master", "We worked in two shifts, day and night, and the weather was kind to us for once."),
        ("driver", "I drive this road every morning, so the detour was costing me forty minutes a day."),
        ("reporter", "The council says the road will be inspected again in the spring. Odile Fanshawe-Briggs, "
                     "Valley News, Holmfirth."),
        metadata=metadata,
    )
    assert (found["master"].role, found["master"].name) == (OFFICIAL, "Ragnar Stenhammar")
    assert (found["driver"].role, found["driver"].name) == (PUBLIC, None)
    assert (found["reporter"].role, found["reporter"].name) == (CORRESPONDENT, "Odile Fanshawe-Briggs")


# An Irish first name heard two ways: no letter or sound code links "Caoimhe" to "Keeva".
_FERRY = (
    ("anchor", "Ferry fares to Scotland are going up by a fifth. Our transport reporter Caoimhe Dunleavy is in Larne."),
    ("reporter", "Operators blame fuel and port charges, and say the rise will be reviewed in the autumn. "
                 "Keeva Dunleavy, Ulster Today, Larne."),
)


def test_one_surname_with_a_first_name_heard_two_ways_takes_the_descriptions_spelling():
    metadata = VideoMetadata(id="x", title="Ferry fares rise", description="Transport reporter Caoimhe Dunleavy reports from Larne.")
    assert labelled(*_FERRY, metadata=metadata)["reporter"].name == "Caoimhe Dunleavy"


def test_two_first_names_with_one_surname_stay_in_conflict_without_a_description():
    assert labelled(*_FERRY)["reporter"].name is None


def test_a_soundbite_introduced_at_the_end_of_a_run_on_sentence_is_still_named():
    # The ASR joins the report's sentences with commas: the name opens the last clause.
    metadata = VideoMetadata(id="x", title="Canal reopens", description="Lock keeper Idris Vaughan-Pryce reopened the canal.")
    found = labelled(
        ("anchor", "The canal through Brecon has reopened after the summer drought. Nia Tregarthen has the story."),
        ("reporter", "For six weeks the boats sat in the mud, the water was too low to fill the locks, Lock Keeper "
                     "Idris Vaughan-Pryce opened the first gate at dawn."),
        ("keeper", "It was a relief to see them moving again, we had boats waiting from both ends."),
        ("reporter", "The trust says it will dredge the worst stretch this winter. Nia Tregarthen, Wales Today, Brecon."),
        metadata=metadata,
    )
    assert (found["keeper"].role, found["keeper"].name) == (OFFICIAL, "Idris Vaughan-Pryce")


def test_a_first_name_heard_in_two_words_takes_the_descriptions_spelling():
    # Whisper writes a hyphenated or unfamiliar first name as two words ("Li Na" for Lina-Marie
    # is not the case here: "My Ling" for Mei-Ling, "Leo Pold" for Leopold).
    metadata = VideoMetadata(
        id="x", title="Hospital parking charges scrapped",
        description="Correspondent Mei-Ling Okafor reports. With cardiologist Dr Leopold Marchetti.",
    )
    found = labelled(
        ("anchor", "Parking charges at hospitals are to be scrapped from April. Let's cross now to My Ling Okafor, "
                   "who is at the Royal Infirmary. My Ling, who gains most?"),
        ("reporter", "Patients who come every week, for dialysis or cancer care, and the staff on night shifts. "
                     "Doctor Leo Pold Marketty is a cardiologist here."),
        ("doctor", "Some of my patients were paying forty pounds a month just to see me."),
        ("reporter", "The change costs the health board about two million a year. Back to you."),
        metadata=metadata,
    )
    assert (found["reporter"].role, found["reporter"].name) == (CORRESPONDENT, "Mei-Ling Okafor")
    assert found["doctor"].name == "Leopold Marchetti"


def test_someone_without_an_office_who_spoke_to_us_is_a_guest():
    found = labelled(
        ("anchor", "Bala Town are through to the final for the first time. Our reporter Tomos Glyn-Parry was at the match."),
        ("reporter", "The winner came in the last minute of extra time. The club's captain, Bethan Llewellyn-Ash, spoke "
                     "to us on the pitch."),
        ("captain", "We have waited thirty years for this, and I still cannot believe it."),
        ("reporter", "The final is at the end of the month. Tomos Glyn-Parry, Wales Today, Bala."),
    )
    assert (found["captain"].role, found["captain"].name) == (GUEST, "Bethan Llewellyn-Ash")
    # the same cue after an office is an official's
    found = labelled(
        ("anchor", "Bala Town are through to the final for the first time. Our reporter Tomos Glyn-Parry was at the match."),
        ("reporter", "The town's mayor, Bethan Llewellyn-Ash, spoke to us on the pitch."),
        ("captain", "We have waited thirty years for this, and I still cannot believe it."),
        ("reporter", "The final is at the end of the month. Tomos Glyn-Parry, Wales Today, Bala."),
    )
    assert found["captain"].role is OFFICIAL


def test_a_hyphenated_surname_the_recogniser_cuts_is_read_whole_from_the_description():
    # The small model reads the description's "Mariam Lindqvist-Obi" as "Mariam Lindqvist";
    # the full name heard in speech must not be respelled to that half.
    metadata = VideoMetadata(id="x", title="Bank holds rates", description="Business editor Mariam Lindqvist-Obi explains the figures.")
    found = labelled(
        ("anchor", "The central bank has held interest rates again. Our business editor Mariam Lindqvist-Obi is here. Mariam, why?"),
        ("editor", "Inflation is still above target, and the bank wants to see it fall further before it moves."),
        metadata=metadata,
    )
    assert found["editor"].name == "Mariam Lindqvist-Obi"


def test_a_presenters_first_name_alone_before_a_hand_off_names_and_places_them():
    # The description names the forecaster in full; speech uses the first name only, and the
    # anchor's later thanks after a vox pop must not give that name to the vox pop.
    metadata = VideoMetadata(id="x", title="Frost warning", description="Forecast with meteorologist Eilidh MacAskill-Reid.")
    found = labelled(
        ("anchor", "A hard frost is on the way tonight. Eilidh is in the weather centre. Eilidh, how cold will it get?"),
        ("forecaster", "Down to minus six in the glens, and the roads will be icy first thing."),
        ("anchor", "Gardeners are covering their plants. One grower near Perth told us she was worried."),
        ("grower", "I lost half my seedlings to the last frost, so everything is under fleece tonight."),
        ("anchor", "Eilidh, thank you. Now the rest of the news."),
        metadata=metadata,
    )
    assert (found["forecaster"].role, found["forecaster"].name) == (ANCHOR, "Eilidh MacAskill-Reid")
    assert found["grower"].name is None


def test_a_forecaster_handed_the_forecast_is_of_the_presenting_team():
    # "NAME has the forecast" hands over as "NAME is in the weather centre" does: to a presenter,
    # not a reporter (held-out x49, first sight: no rule read it, and the forecaster was a
    # voice nothing named)
    metadata = VideoMetadata(id="x", title="Storm warning", description="Forecaster Rhodri Llewellyn-Hart explains.")
    found = labelled(
        ("anchor", "An amber warning for wind is in place tonight. Schools will close early. Rhodri Llewellyn-Hart has the forecast."),
        ("forecaster", "The storm reaches the south west first, around midnight, then swings north."),
        ("anchor", "One head teacher told us why her school is closing at noon."),
        ("teacher", "Our buses use the coast road, and I would rather the children were home."),
        metadata=metadata,
    )
    assert (found["forecaster"].role, found["forecaster"].name) == (ANCHOR, "Rhodri Llewellyn-Hart")
    # a reporter who "has the latest" is still a reporter
    found = labelled(
        ("anchor", "The strike goes on tonight. Our reporter Dana Whitlock has the latest."),
        ("reporter", "Pickets have been here since dawn, and talks are not due to restart until Monday."),
        metadata=VideoMetadata(id="y", title="Strike", description="Dana Whitlock reports."),
    )
    assert found["reporter"].role is CORRESPONDENT


def test_someone_the_anchor_questions_and_thanks_by_name_is_a_guest_when_nothing_else_is_said():
    # The introduction was misheard ("with me as"), so no hand-off rule fires; the anchor still
    # questions and thanks the other voice by name.
    found = labelled(
        ("host", "Good evening, I'm Rhiannon Coyle, live at the Hay book festival, with me as the poet Idris "
                 "Pennant-Vaughan. Idris, why poetry now?"),
        ("poet", "Because people want something slow again, something they can read twice."),
        ("host", "Idris Pennant-Vaughan, thank you."),
    )
    assert (found["host"].role, found["host"].name) == (ANCHOR, "Rhiannon Coyle")
    assert (found["poet"].role, found["poet"].name) == (GUEST, "Idris Pennant-Vaughan")


def test_an_officer_of_an_election_named_before_a_soundbite_is_an_official():
    metadata = VideoMetadata(id="x", title="Independent wins Kirkby Stephen", description="Returning officer Ambrose Nwachukwu-Hale declared the result.")
    found = labelled(
        ("anchor", "The count in Kirkby Stephen went on through the night. Our reporter Tamsin Eldridge-Moss was there."),
        ("reporter", "It was close all night. The returning officer, Ambrose Nwachukwu-Hale, read the result at four."),
        ("officer", "I declare that Joan Pemberton is duly elected as councillor for the Kirkby Stephen ward."),
        ("reporter", "A recount was refused. Tamsin Eldridge-Moss, Border Today, Kirkby Stephen."),
        metadata=metadata,
    )
    assert (found["officer"].role, found["officer"].name) == (OFFICIAL, "Ambrose Nwachukwu-Hale")


def test_someone_on_the_line_with_a_full_name_is_an_interviewee_and_a_first_name_alone_a_caller():
    found = labelled(
        ("host", "Good morning, I'm Wendell Achebe-Stroud. On the line from Oslo is the chess grandmaster "
                 "Ingrid Solbakken-Vik. Ingrid, how did you sleep after that final game?"),
        ("player", "Hardly at all. I replayed the last ten moves in my head until the sun came up."),
        ("host", "Ingrid Solbakken-Vik, thank you."),
    )
    assert (found["player"].role, found["player"].name) == (GUEST, "Ingrid Solbakken-Vik")
    found = labelled(
        ("host", "The phones are busy this morning. On the line is Doreen in Harrogate. Doreen, go ahead."),
        ("caller", "I have waited eight months for a hip operation and nobody will give me a date."),
    )
    assert found["caller"].role == PUBLIC


def test_a_name_of_an_organisation_before_said_is_quoted():
    # "NAME of the ORGANISATION said", in a run-on sentence (no full stops from the ASR, the
    # soundbite's first word on the reporter's side), with no reporter turn after the soundbite.
    found = labelled(
        ("anchor", "Growth stalled in the spring. Our economics correspondent Hamish Delgado-Price reports."),
        ("reporter", "Factories cut shifts and shops cut prices, Orla Bennett-Kaur of the national statistics office said in a statement The"),
        ("official", "figures show the weakest quarter for manufacturing since records began."),
        ("anchor", "Shares in London fell after the figures were published."),
    )
    assert (found["official"].role, found["official"].name) == (OFFICIAL, "Orla Bennett-Kaur")


def test_a_correspondent_whose_name_the_recogniser_garbled_is_still_a_correspondent():
    found = labelled(
        ("anchor", "Exam results are out today, and more pupils than ever got top grades. Education correspondent Priya salt reports."),
        ("reporter", "At this school in Luton the envelopes were opened at eight, and the head teacher says the results are the best in its history."),
    )
    assert found["anchor"].role == ANCHOR
    assert found["reporter"].role == CORRESPONDENT


def test_a_sentence_diarization_cut_before_its_last_words_keeps_its_speaker():
    found = labelled(
        ("anchor", "Storms have closed the port for a week. Our reporter Gideon Amankwah-Lee is there."),
        ("reporter", "The trawlers have stayed in harbour since Monday. Harbour Master Ewan Fraser-Lyle has worked on this"),
        ("master", "quay for thirty one years. The boats are bigger now and the storms are worse, and we need a longer wall."),
        ("reporter", "The council decides on the new wall in the spring. Gideon Amankwah-Lee, Coast Today, Peterhead."),
    )
    assert (found["master"].role, found["master"].name) == (OFFICIAL, "Ewan Fraser-Lyle")


def test_the_person_a_reporter_is_introduced_meeting_is_not_the_reporter():
    found = labelled(
        ("anchor", "She is ninety and still sells every painting. Our arts reporter Cedric Mwangi-Holt met the painter Hilda Rasmussen at her studio."),
        ("reporter", "The studio is a converted barn on the edge of the moor. Hilda Rasmussen starts work at six every morning."),
        ("painter", "The light is best before breakfast. After lunch I only mix colours."),
        ("reporter", "Her next show opens in London in the spring."),
    )
    assert (found["reporter"].role, found["reporter"].name) == (CORRESPONDENT, "Cedric Mwangi-Holt")


def test_an_opening_greeting_with_im_heard_as_in_still_introduces_the_anchor():
    # Whisper often hears the "I'm" of "Hello, I'm NAME" as "in"; a place after "in" stays a place.
    found = labelled(
        ("anchor", "Good evening, in Ottoline Barraclough-Reyes. Flooding has closed the main road into Kendal. "
                   "Our reporter Samson Okafor-Bright is there."),
        ("reporter", "The river came over the wall at about four this afternoon, and the water is still rising."),
    )
    assert (found["anchor"].role, found["anchor"].name) == (ANCHOR, "Ottoline Barraclough-Reyes")
    # ... also where no full stop ends the name
    found = labelled(
        ("anchor", "Hello, in Ottoline Barraclough-Reyes The main road into Kendal is closed by flooding, "
                   "our reporter Samson Okafor-Bright is there."),
        ("reporter", "The river came over the wall at about four this afternoon, and the water is still rising."),
    )
    assert (found["anchor"].role, found["anchor"].name) == (ANCHOR, "Ottoline Barraclough-Reyes")
    found = labelled(
        ("anchor", "Good evening, in Kendal tonight the river burst its banks. Our reporter Samson Okafor-Bright is there."),
        ("reporter", "The river came over the wall at about four this afternoon, and the water is still rising."),
    )
    assert (found["anchor"].role, found["anchor"].name) == (ANCHOR, None)


def test_a_hand_off_with_a_name_and_a_place_after_commas_is_no_sign_off():
    # "Let's go to NAME in PLACE. NAME, over to you." as the ASR wrote it (commas, "in"
    # dropped, Title Case): the shape of "NAME, OUTLET, PLACE" (the description makes
    # Stornoway a place), but the anchor handing over.
    found = labelled(
        ("anchor", "Good morning, I'm Rhona Adebayo-Kerr. Storm damage has closed the coast road. Let's go to Fergus Whitelaw Odum, Stornoway Fergus, Over to Fergus"),
        ("reporter", "The road collapsed just after midnight and nobody was hurt. Repairs will take at least a month."),
        ("anchor", "Fergus, thank you."),
        metadata=VideoMetadata(id="x", title="Coast road closed after storm", description="Reporter Fergus Whitelaw-Odum is in Stornoway, where the road collapsed overnight."),
    )
    assert (found["anchor"].role, found["anchor"].name) == (ANCHOR, "Rhona Adebayo-Kerr")
    assert (found["reporter"].role, found["reporter"].name) == (CORRESPONDENT, "Fergus Whitelaw-Odum")


def test_a_reporter_handed_over_to_who_puts_a_caller_on_the_line_stays_a_reporter():
    found = labelled(
        ("anchor", "Hello, I'm Maeve Oduya. Bus drivers across the county walked out at dawn. Let's go to Anselm Petrakis-Reid in Truro. Anselm, over to you."),
        ("reporter", "No buses have left the depot here this morning. On the line now is the drivers' spokesman, Kenji Arbuthnot-Vale."),
        ("driver", "We have had no pay rise for three years, and we are working longer shifts than ever before."),
        ("reporter", "The bus company says it will meet the union on Friday. Maeve."),
        ("anchor", "Anselm, thank you."),
    )
    assert (found["reporter"].role, found["reporter"].name) == (CORRESPONDENT, "Anselm Petrakis-Reid")
    assert found["anchor"].role is ANCHOR


def test_a_voice_named_right_after_it_speaks_gets_that_name_and_role():
    # with the title's comma, or without it as Whisper often writes it
    for named in ("The library's director, Martina Mbeki-Forsyth,", "The library's director Martina Mbeki-Forsyth,"):
        found = labelled(
            ("anchor", "A rare manuscript has gone back on show in Durham. Our reporter Ines Halloran-Bey went to see it."),
            ("reporter", "The pages were rescued from a flooded cellar last winter. Inside the library, the mood was one of quiet pride."),
            ("librarian", "Every page had to be dried by hand, one at a time, over nine months."),
            ("reporter", f"{named} the manuscript will stay on show until June. Ines Halloran-Bey, Northern Post, Durham."),
        )
        assert (found["librarian"].role, found["librarian"].name) == (OFFICIAL, "Martina Mbeki-Forsyth"), named
    # "That was NAME." names the voice before, whatever its description
    found = labelled(
        ("anchor", "Rents in the city rose again this spring. Our reporter Ines Halloran-Bey has this story."),
        ("reporter", "The average rent is now a third of a nurse's pay. Outside a letting agency, the queue was long."),
        ("renter", "We have looked at twenty flats and every one went within a day."),
        ("reporter", "That was Tomasz Ilunga-Brae. The council meets on Thursday. Ines Halloran-Bey, Northern Post, Leeds."),
    )
    assert found["renter"].name == "Tomasz Ilunga-Brae"
    assert (found["reporter"].role, found["reporter"].name) == (CORRESPONDENT, "Ines Halloran-Bey")


def test_the_head_of_a_school_speaks_for_it_and_a_teacher_for_herself():
    found = labelled(
        ("anchor", "A primary school in Fife may lose its only classroom assistant. Our reporter Caitlin Mensah-Doyle reports."),
        ("reporter", "The council says it must save two million pounds. The headteacher, Graeme Okorafor-Lind, told me what that would mean."),
        ("head", "Thirty children with one adult is not safe, and the council knows it."),
        ("reporter", "A teacher at the school, who asked not to be named, said staff were worried."),
        ("teacher", "We are already stretched, and something will give."),
        ("reporter", "The council decides next month. Caitlin Mensah-Doyle, Fife Today."),
    )
    assert (found["head"].role, found["head"].name) == (OFFICIAL, "Graeme Okorafor-Lind")
    assert found["teacher"].role is PUBLIC


def test_that_was_name_then_who_they_are_names_the_voice_and_gives_its_role():
    found = labelled(
        ("anchor", "A new cycle lane opens in Bristol tomorrow. Our reporter Tamsin Achebe-Rowe went to look."),
        ("reporter", "The lane runs for three miles along the harbour. Cyclists we met were pleased."),
        ("cyclist", "I used to go the long way round to stay off the main road, so this saves me ten minutes."),
        ("reporter", "Not everyone is happy. The shops on the route say they have lost parking."),
        ("engineer", "We looked at every option, and this was the only one that kept both lanes of traffic open."),
        # the ASR runs the apposition on into the next sentence with a comma
        ("reporter", "That was Imogen Castellano-Pryor, a spokesperson for the city council, The lane opens at six. "
                     "Tamsin Achebe-Rowe, West Today, Bristol."),
    )
    assert (found["engineer"].role, found["engineer"].name) == (OFFICIAL, "Imogen Castellano-Pryor")
    assert found["cyclist"].role is PUBLIC


def test_a_statement_read_out_describes_no_voice():
    found = labelled(
        ("anchor", "Swimming pools in Hull will open late on weekdays this summer. Joel Ferreira-Hanley reports."),
        ("reporter", "Three pools will stay open until ten at night. In a statement, the council's leisure officer said "
                     "the change would cost nothing extra. At the pool on Beverley Road, the lifeguards are pleased."),
        ("lifeguard", "Lots of people work until six, so the evenings are when we get the families in."),
        ("reporter", "The late openings start in June. Joel Ferreira-Hanley, East Riding News, Hull."),
    )
    assert found["lifeguard"].role is PUBLIC


def test_the_one_presenter_the_description_names_is_the_unnamed_anchor():
    metadata = VideoMetadata(id="x", title="Rower crosses the Atlantic alone",
                             description="Solo rower Delphine Okoro-Baptiste talks to presenter Hamish Fairweather-Lund.")
    turns = (
        ("anchor", "She spent fifty one days alone at sea. I'm joined now by Delphine Okoro-Baptiste. Welcome home."),
        ("rower", "Thank you. It is strange to sleep in a bed that does not move."),
        ("anchor", "What was the hardest moment?"),
        ("rower", "The third week, when a storm pushed me back forty miles in a single night."),
    )
    found = labelled(*turns, metadata=metadata)
    assert (found["anchor"].role, found["anchor"].name) == (ANCHOR, "Hamish Fairweather-Lund")
    assert found["rower"].name == "Delphine Okoro-Baptiste"
    # A forecaster named in the description runs no programme: the anchor stays unnamed.
    weather = VideoMetadata(id="x", title="Rower crosses the Atlantic alone", description="Forecast with meteorologist Hamish Fairweather-Lund.")
    assert labelled(*turns, metadata=weather)["anchor"].name is None


def test_co_anchors_known_on_air_by_first_name_take_the_descriptions_full_names():
    metadata = VideoMetadata(id="x", title="Dam repairs finished early",
                             description="Anchors Nomvula Khumalo-Reid and Willem de Wet; reporter Farida Osei-Lindholm at the dam.")
    found = labelled(
        ("anchor1", "Good evening. Repairs to the Vaal dam wall are finished a month early. Willem."),
        # "Thanks, Nomvula. Heavy rain ..." as the ASR ran it on, a common word after the first name
        ("anchor2", "Thanks, Nomvula Heavy, rain is forecast for the weekend. Let's cross to Farida Osei-Lindholm at the dam."),
        ("reporter", "The engineers worked through the night for three weeks. The water level is already rising. Nomvula."),
        ("anchor1", "Farida, thank you."),
        metadata=metadata,
    )
    assert (found["anchor1"].role, found["anchor1"].name) == (ANCHOR, "Nomvula Khumalo-Reid")
    assert (found["anchor2"].role, found["anchor2"].name) == (ANCHOR, "Willem de Wet")
    assert (found["reporter"].role, found["reporter"].name) == (CORRESPONDENT, "Farida Osei-Lindholm")


def test_a_turn_that_stops_on_of_goes_on_in_the_next_and_a_month_is_no_vocative():
    found = labelled(
        ("anchor", "I'm Colm Ashdown-Varga. Bin collections in Derby are changing. Rehana Boakye-Sterling reports. From the end of"),
        ("reporter", "June, food waste will be collected every week. The council says it will save money. Rehana Boakye-Sterling, "
                     "Midlands Now, Derby."),
    )
    assert (found["anchor"].role, found["anchor"].name) == (ANCHOR, "Colm Ashdown-Varga")


def test_a_description_before_an_honorific_is_no_part_of_the_name():
    # The description opens a sentence with what the person does, then the honorific; the ASR
    # wrote it capitalised too, and misspelled the name.
    metadata = VideoMetadata(id="x", title="Lava reaches the coast road",
                             description="A new fissure opened on the peninsula overnight. Volcanologist Dr Gudrun Kristjansdottir of the University of Iceland "
                                         "spoke to us by phone; science correspondent Magnus Achebe-Lund reports.")
    found = labelled(
        ("anchor", "Lava is flowing towards the coast road. Magnus Achebe-Lund has more on this."),
        ("reporter", "The road was closed at dawn. Earlier, I spoke to the Volcanologist Dr Gudrun Kristiansdottir."),
        ("scientist", "The flow has slowed since this morning, but it could still reach the road by the weekend."),
        ("reporter", "Flights are running normally for now. Back to you in the studio."),
        metadata=metadata,
    )
    assert (found["scientist"].role, found["scientist"].name) == (GUEST, "Gudrun Kristjansdottir")


def test_a_sign_off_whose_place_follows_a_preposition_names_the_reporter():
    turns = (
        ("anchor", "The old lighthouse has a keeper again after forty years. Our reporter has the story."),
        ("reporter", "The lamp was switched back on at dusk, and the village came out to watch. Morwenna Trelawney-Okafor, Coast Today, at the harbour wall."),
    )
    found = labelled(*turns)
    assert (found["reporter"].role, found["reporter"].name) == (CORRESPONDENT, "Morwenna Trelawney-Okafor")


def test_a_reporter_who_went_out_with_a_crew_is_introduced():
    turns = (
        ("anchor", "Fishing boats were back at sea today for the first time since the storm. Ewan Achterberg-Sim went out with the crews."),
        ("reporter", "Before dawn the harbour was already busy, and every skipper had the same worry about the price of diesel."),
    )
    found = labelled(*turns)
    assert (found["reporter"].role, found["reporter"].name) == (CORRESPONDENT, "Ewan Achterberg-Sim")
    assert found["anchor"].role is ANCHOR


def test_a_description_naming_a_presenter_or_reporter_makes_it_a_programme():
    # The ASR garbled every hand-off: only the description says this is a programme.
    turns = (
        ("anchor", "Good evening. The council has approved the new stadium after a long night of debate."),
        ("reporter", "The vote was close, seven to five, and the public gallery was full until the end."),
        ("anchor", "And the work starts in the spring."),
    )
    plain = labelled(*turns)
    assert {s.role for s in plain.values()} == {OTHER}
    described = VideoMetadata(id="x", title="Stadium approved", description="Presented by Gemma Okonkwo-Hale, with local democracy reporter Tariq Lindqvist.")
    found = labelled(*turns, metadata=described)
    assert found["anchor"].role is ANCHOR
    # a description that names only the people in the story is no programme
    story = VideoMetadata(id="x", title="Stadium approved", description="Councillor Gemma Okonkwo-Hale led the vote.")
    assert {s.role for s in labelled(*turns, metadata=story).values()} == {OTHER}


def test_with_me_now_heard_as_with_me_now_as_still_introduces_the_guest():
    # Whisper's "with me now as" for "with me now is"
    turns = (
        ("host", "Dockers have voted to strike next week. With me now as the union's chief negotiator, Siobhan Adeyemi-Clarke. Why now?"),
        ("guest", "Because we have waited two years for an offer and nothing has come."),
    )
    found = labelled(*turns)
    assert (found["guest"].role, found["guest"].name) == (GUEST, "Siobhan Adeyemi-Clarke")
    assert found["host"].role is ANCHOR


def test_a_reporter_who_has_the_numbers_is_handed_over_to():
    turns = (
        ("anchor", "Rents rose again this quarter. So what does it mean for tenants? Olusegun Marchetti-Park has the numbers."),
        ("reporter", "The typical rent is now a third of take-home pay, and in the cities close to half."),
        ("anchor", "Thank you. Now the weather."),
    )
    found = labelled(*turns)
    assert (found["reporter"].role, found["reporter"].name) == (CORRESPONDENT, "Olusegun Marchetti-Park")


def test_a_voice_described_after_a_place_name_in_a_run_on_sentence_is_not_given_the_name():
    # No full stops from the ASR: the report is one sentence that names a school the
    # description spells, then describes the voice that follows ("A spokeswoman for the
    # health board said"); the nearer description is the voice's, the school no one's name.
    metadata = VideoMetadata(id="x", title="Dental clinic opens in Port Ellis",
                             description="Reporter Tamsin Oduya-Hart visited Harbourview Academy, where the clinic opened.")
    found = labelled(
        ("anchor", "Children in Port Ellis can now see a dentist at school. Tamsin Oduya-Hart visited one of the first."),
        ("reporter", "morning at Harbourview Academy and the queue for check ups reaches the gym doors the school says "
                     "forty children were seen on the first day a spokeswoman for the health board said the clinic would stay open all year"),
        ("spokeswoman", "We want every child in the county to have a check up before they turn six."),
        ("reporter", "Parents say the waiting list had been two years. Tamsin Oduya-Hart, Coast News."),
        metadata=metadata,
    )
    assert found["spokeswoman"].name is None
    assert found["spokeswoman"].role == OFFICIAL
    assert (found["reporter"].role, found["reporter"].name) == (CORRESPONDENT, "Tamsin Oduya-Hart")


def test_a_long_surname_heard_with_a_sound_missed_takes_the_descriptions_spelling():
    # "Okongo Addy Bissy" for *Okonkwo-Adebisi*: the letters differ too much (0.76), the sound
    # codes hardly (OKNKTBS / OKNKWTBS)
    metadata = VideoMetadata(id="x", title="Bridge inspections ordered",
                             description="Reporter Callum Ferris speaks to chief engineer Ngozi Okonkwo-Adebisi.")
    found = labelled(
        ("anchor", "Every bridge in the county will be inspected by the end of the month. Callum Ferris reports."),
        ("reporter", "The cracks were found last week. The chief engineer, Ngozi Okongo Addy Bissy, said the checks could not wait."),
        ("engineer", "We would rather close a bridge for a day than find out the hard way that we should have."),
        ("reporter", "The first results are due on Friday. Callum Ferris, County News."),
        metadata=metadata,
    )
    assert (found["engineer"].role, found["engineer"].name) == (OFFICIAL, "Ngozi Okonkwo-Adebisi")


def test_a_credit_the_recogniser_reads_as_a_place_still_names_the_reporter():
    # In a description about places ("the western Bay of Plenty") spaCy's small model labels the
    # credited reporter LOC; out of context it does not read the name as a place, so it is a
    # name, and the sign-off and the hand-off give it to the reporter.
    metadata = VideoMetadata(id="x", title="Hailstorm strips orchards around Te Puke",
                             description="A hailstorm has wrecked much of the crop in the western Bay of Plenty, and "
                                         "Pacific seasonal workers fear for their jobs. Words and pictures: Tamati Paewai.")
    found = labelled(
        ("anchor", "Growers in the Bay of Plenty are counting the cost tonight. Tamati Paewai has been to the orchards around Te Puke."),
        ("reporter", "Along this road almost every vine has been stripped. Growers say fourteen orchards lost half their fruit."),
        ("grower", "I've never seen hail like it. The fruit is gone."),
        ("reporter", "The government will meet growers on Monday. Tamati Paewai, reporting from Te Puke."),
        metadata=metadata,
    )
    assert (found["reporter"].role, found["reporter"].name) == (CORRESPONDENT, "Tamati Paewai")


def test_someone_with_us_from_our_studio_is_a_guest_unless_a_reporter():
    # "from our Colombo studio" places no reporter: the place test wants a capitalised place
    # right after "from" or "in" (it had matched any word, case ignored)
    found = labelled(
        ("host", "Tea prices have reached a new peak. Tea broker Nirosha Wickramasinghe is with us from our Colombo studio. Nirosha, who is buying at these prices?"),
        ("broker", "Mostly buyers from Russia, Turkey and the Gulf. They want the quality."),
        ("host", "Nirosha, thank you."),
    )
    assert (found["broker"].role, found["broker"].name) == (GUEST, "Nirosha Wickramasinghe")
    found = labelled(
        ("host", "The talks broke down tonight. Our correspondent Lena Hoffmann-Berg is with us from Brussels. Lena, what happened?"),
        ("reporter", "The ministers left the room after six hours without a statement."),
        ("host", "Lena, thank you."),
    )
    assert (found["reporter"].role, found["reporter"].name) == (CORRESPONDENT, "Lena Hoffmann-Berg")


def test_a_news_voice_nothing_names_introduces_or_describes_is_one_of_the_public():
    # No report around it (so not a soundbite between a reporter's turns) and no cue before it:
    # a programme cues its own people, its guests and the officials it quotes.
    found = labelled(
        ("anchor", "Good evening. A carved figurehead taken from a ship more than a century ago has come home to Orkney. "
                   "The museum's curator, Ingrid Solberg, told us how it was found."),
        ("curator", "A letter in our archive mentioned a painted woman on the bow, and we matched the wood and the paint."),
        ("islander", "My grandfather used to talk about her. To see her back on the island is something I never thought would happen."),
        ("anchor", "The figurehead goes on show next year. Now the weather."),
    )
    assert (found["anchor"].role, found["curator"].role, found["curator"].name) == (ANCHOR, GUEST, "Ingrid Solberg")
    assert (found["islander"].role, found["islander"].name) == (PUBLIC, None)
    assert any("nothing names" in e["rule"] for e in found["islander"].evidence)


def test_a_surname_heard_as_a_common_word_and_a_name_takes_the_descriptions_spelling():
    # A lower-case word inside the heard name ("Lindqvist kissed Bergson" for *Lindqvist-Bergson*,
    # as "Gwendolyn actor Berg" for *Achterberg*): the quote cue's name is the whole run that
    # sounds like the description's name, not the capitalised word before the verb.
    metadata = VideoMetadata(id="x", title="Harbour wall to be rebuilt",
                             description="Harbourmaster Petra Lindqvist-Bergson says the work starts in spring.")
    found = labelled(
        ("anchor", "The storm-damaged harbour wall will be rebuilt. Our reporter Sam Okafor has the details."),
        ("reporter", "The repairs will take two years. Harbourmaster Petra Lindqvist kissed Bergson said the boats would keep sailing."),
        ("official", "Nobody loses a berth. We will move the fleet to the north quay while the wall goes up."),
        ("reporter", "The first stones arrive in April. Sam Okafor, Coast News, Stromness."),
        metadata=metadata,
    )
    assert (found["official"].role, found["official"].name) == (OFFICIAL, "Petra Lindqvist-Bergson")


def test_a_hand_off_without_full_stops_is_no_sign_off_and_an_intro_may_run_on():
    # Whisper may drop every full stop: "NAME is at the depot in Leeds, Priya over to you" is a
    # hand-off whose comma and capitals look like "NAME, OUTLET", and "And I'm NAME our lead
    # story ..." ends the name at a determiner, not at a full stop.
    metadata = VideoMetadata(id="x", title="Bus drivers walk out", description="Priya Raman reports from the depot in Leeds.")
    found = labelled(
        ("anchor1", "Good morning, I'm Helen Achebe"),
        ("anchor2", "And I'm Rory Sutherland our lead story this morning the bus drivers have walked out across the north"),
        ("anchor1", "Priya Raman Is At The Depot In Leeds, Priya over to you"),
        ("reporter", "Helen, the gates here have been shut since five and not one bus has left the yard this morning."),
        ("anchor1", "Priya, thank you."),
        metadata=metadata,
    )
    assert (found["anchor1"].role, found["anchor1"].name) == (ANCHOR, "Helen Achebe")
    assert (found["anchor2"].role, found["anchor2"].name) == (ANCHOR, "Rory Sutherland")
    assert (found["reporter"].role, found["reporter"].name) == (CORRESPONDENT, "Priya Raman")


def test_a_sentence_reporting_what_the_person_named_before_said_hands_over_to_them():
    # The name stands a sentence before the new voice; the last sentence says what she said.
    # Told to the house it is a statement (an official); told to the reporter, an interview
    # with someone the report met (one of the public).
    found = labelled(
        ("anchor", "Water bills will rise again next year. Our correspondent Jonah Whitcombe reports."),
        ("reporter", "The water minister, Adaeze Thorvaldsen-Cole, promised help for the poorest homes. She told parliament the rise could not be avoided."),
        ("minister", "The pipes under our cities are a century old. Someone has to pay to replace them."),
        ("anchor", "Jonah, thank you. Now the weather."),
    )
    assert (found["minister"].role, found["minister"].name) == (OFFICIAL, "Adaeze Thorvaldsen-Cole")
    found = labelled(
        ("anchor", "Fishing boats have stayed in port all week. Jonah Whitcombe went to the harbour."),
        ("reporter", "The quay is full of idle trawlers. Mhairi Lindsay-Fraser has fished here for thirty years. She told me what the storms have cost her."),
        ("skipper", "Four weeks without a landing. The bank does not wait for the weather."),
        ("reporter", "The forecast offers no break before Sunday. Jonah Whitcombe, Coast News, Peterhead."),
    )
    assert (found["skipper"].role, found["skipper"].name) == (PUBLIC, "Mhairi Lindsay-Fraser")


def test_co_presenters_credited_together_name_the_anchor_left_unnamed_on_air():
    # The co-anchor who takes over with thanks to the reporter presents the programme too; the
    # one named on air ("Helen.") leaves the other credited presenter to the other anchor.
    metadata = VideoMetadata(id="x", title="Ferry timetable cut for winter",
                             description="Presented by Helen Morris and Obinna Whitford-Lane. Reporter Tilde Sandvik is on the quay.")
    turns = (
        ("anchor1", "Good evening. Winter ferries will sail half as often from next month. Tilde Sandvik is on the quay."),
        ("reporter", "Islanders here say the cut leaves them one boat a day. The operator says it has no crews for more."),
        ("anchor2", "Tilde, thank you. The council has also approved a new car park at the harbour. It opens in March. Helen."),
        ("anchor1", "Thank you. Now the rest of the day's news."),
    )
    found = labelled(*turns, metadata=metadata)
    assert (found["anchor1"].role, found["anchor1"].name) == (ANCHOR, "Helen Morris")
    assert (found["anchor2"].role, found["anchor2"].name) == (ANCHOR, "Obinna Whitford-Lane")
    assert any("thanks a reporter" in e["rule"] for e in found["anchor2"].evidence)
    # Neither presenter named on air: nothing says which is which.
    found = labelled(*turns[:2], ("anchor2", turns[2][1].removesuffix(" Helen.")), turns[3], metadata=metadata)
    assert (found["anchor1"].name, found["anchor2"].name) == (None, None)


def test_a_surname_heard_without_its_first_name_takes_the_descriptions_full_name():
    # The first name lost in common words ("Ailsa" heard as "you and"), the surname heard in
    # three words: the one person of the description with that surname.
    metadata = VideoMetadata(id="x", title="Storm closes Leith docks", description="Reporter Ailsa Vanderhoeven is at the docks.")
    found = labelled(
        ("anchor", "Storm damage has closed the docks overnight. Let's go to you and Van Der Hoven, Leith, over to you."),
        ("reporter", "The gates here are shut and the cranes are tied down. Nothing will move before the wind drops."),
        ("anchor", "Thank you."),
        metadata=metadata,
    )
    assert (found["reporter"].role, found["reporter"].name) == (CORRESPONDENT, "Ailsa Vanderhoeven")


def test_a_hand_off_and_a_sign_off_after_a_comma_name_the_reporter():
    # Whisper often ends a sentence with a comma. The recogniser then reads the reporter's
    # unfamiliar name in the hand-off as a product ("..., Hone Mokena has been to ..."), and the
    # sign-off follows a comma too; "NAME reporting from PLACE" ends the speaker's own report,
    # so the anchor who speaks next is no correspondent.
    metadata = VideoMetadata(id="x", title="Floods hit the dairy farms of Hawke's Bay", description="Words and pictures: Hone Mokena.")
    found = labelled(
        ("anchor", "Dairy farmers are counting the cost tonight after floods swept the valley just days before calving, Hone Mokena has been to the farms around Wairoa."),
        ("reporter", "Along this road every fence has gone and the paddocks are under silt. The government will meet farmers on Friday, Hone Mokena reporting from Wairoa."),
        ("anchor", "In other news tonight, the dollar has fallen again."),
        metadata=metadata,
    )
    assert (found["reporter"].role, found["reporter"].name) == (CORRESPONDENT, "Hone Mokena")
    assert {e["rule"] for e in found["reporter"].evidence} >= {"introduction: is-in", "sign-off"}
    assert (found["anchor"].role, found["anchor"].name) == (ANCHOR, None)


def test_description_names_the_recogniser_cuts_short_or_misreads_still_spell_the_speakers():
    # "Dr Meera" is all the recogniser finds of "Dr Meera Venkatesan" in the description, and
    # it reads "Yevheniya Dzhus" as an organisation: both are people the description names, and
    # a speaker the speech names with a slight misspelling takes their spelling.
    metadata = VideoMetadata(id="x", title="Coral loss spreads along the reef",
                             description="Surveys find coral loss on most of the reef. Marine biologist Dr Meera Venkatesan of Southern Cross University explains; Tom Avery reports from Cairns.")
    found = labelled(
        ("anchor", "Good evening. Surveys find coral loss on most of the reef. Tom Avery reports from Cairns."),
        ("reporter", "From the air the damage is plain to see. Marine biologist Mira Venkatesan says the heat came early this year."),
        ("biologist", "We have never seen the water this warm for this long."),
        metadata=metadata,
    )
    assert (found["biologist"].role, found["biologist"].name) == (GUEST, "Meera Venkatesan")
    metadata = VideoMetadata(id="x", title="Dzhus clears two metres for gold",
                             description="High jumper Yevheniya Dzhus won gold in Munich. She talks to presenter Tom Avery.")
    found = labelled(
        ("presenter", "Good evening, I'm Tom Avery. On the line from Munich is the new European champion Yevhenia Dzhus. Congratulations, how does it feel?"),
        ("athlete", "It feels like a dream. I have waited for this jump all my life."),
        metadata=metadata,
    )
    assert (found["athlete"].role, found["athlete"].name) == (GUEST, "Yevheniya Dzhus")


def test_a_pronoun_report_points_back_to_the_last_person_named_however_far_and_past_commas():
    # "She told me ..." ends the turn two sentences after the name, nobody else named between;
    # with Whisper's commas for full stops, "a ... , she told me" is her clause, not a voice
    # described ("a new hip" is no one).
    metadata = VideoMetadata(id="x", title="Cataract waits double", description="Health reporter Idris Penhallow reports. With patient Morwenna Tregarthen.")
    ask = ("anchor", "Waits for cataract surgery have doubled in two years. Health reporter Idris Penhallow reports.")
    answer = ("patient", "I stopped driving last winter. Now I cannot read my own post.")
    close = ("reporter", "The health board says new theatres open in the spring. Idris Penhallow, Cornwall Tonight, Truro.")
    for told in (
        "Morwenna Tregarthen is eighty one. She has waited eighteen months for an operation on her left eye. She told me what the wait has cost her.",
        "Morwenna Tregarthen is 81, she has waited 18 months for an operation on a bad eye and she has stopped driving, she told me what the wait has cost her.",
    ):
        found = labelled(ask, ("reporter", told), answer, close, metadata=metadata)
        assert (found["patient"].role, found["patient"].name) == (PUBLIC, "Morwenna Tregarthen")
    # someone else named in between: the pronoun is no longer hers alone
    found = labelled(ask, ("reporter", "Morwenna Tregarthen is eighty one. Her surgeon Dr Ellis Moyo says the list is too long. She told me what the wait has cost her."),
                     answer, close, metadata=metadata)
    assert found["patient"].name != "Morwenna Tregarthen"


def test_reporting_verbs_beyond_said_attribute_the_soundbite_that_follows():
    # No reporter in the item: the anchor names the next voice with a verb that reports what
    # she said ("blamed", "welcomed", "promised"), and the soundbite is hers ("welcomed" is no
    # "welcome" to a guest).
    for verb in ("blamed the weather", "welcomed the decision", "promised more buses"):
        found = labelled(
            ("anchor", f"Coffee prices in Nairobi have reached a record. The coffee board's chairwoman, Wanjiku Odhiambo-Reyes, {verb}."),
            ("chair", "We have not had a proper harvest for two years. The farmers cannot wait any longer."),
            ("anchor", "Now the rest of the day's business news."),
        )
        assert (found["chair"].role, found["chair"].name) == (OFFICIAL, "Wanjiku Odhiambo-Reyes"), verb


def test_someone_who_chairs_a_local_body_speaks_for_it():
    # "chairs the ..." is an office (as "chair of"), and "local" describes the body, not a
    # member of the public; "to cheers" heard as "to chairs" is no office.
    report = ("reporter", "The river burst its banks overnight and the orchards are under water. Hemi Walters-Ruatapu chairs the local fruitgrowers' association.")
    soundbite = ("grower", "We have lost a season. Some of these trees will never fruit again.")
    close = ("reporter", "The council meets growers on Monday. Aroha Pene, Te Karere, Gisborne.")
    found = labelled(("anchor", "Floods have swamped the orchards of Gisborne. Aroha Pene reports."), report, soundbite, close)
    assert (found["grower"].role, found["grower"].name) == (OFFICIAL, "Hemi Walters-Ruatapu")
    cheers = ("reporter", "After seven days in the desert Hemi Walters-Ruatapu crossed the line to chairs from runners half his age.")
    found = labelled(("anchor", "A runner of seventy has crossed the desert. Aroha Pene reports."), cheers, soundbite, close)
    assert found["grower"].role is PUBLIC


def test_a_lone_word_the_recogniser_calls_a_person_does_not_take_the_soundbite_from_a_credited_name():
    # The ASR's "and" for "in": "... a consultant cardiologist and Harrogate." This small
    # recogniser then reads the town as a person, later in the sentence than the surgeon the
    # description credits; a lone word the video never names is not the nearer voice.
    metadata = VideoMetadata(id="x", title="Heart clinic waits grow",
                             description="Health reporter Idris Penhallow reports, with cardiologist Dr Marisol Quennell-Abara.")
    ask = ("anchor", "Waits for heart scans in Yorkshire are the longest in England. Idris Penhallow reports.")
    report = ("reporter", "The clinic has one scanner for the whole county. Doctor Marisol Quennell-Abara is a consultant cardiologist and Harrogate.")
    soundbite = ("doctor", "We could scan twice as many patients if we had the staff. Every week a patient waits matters.")
    close = ("reporter", "The trust says a second scanner is on order. Idris Penhallow, Look North, Harrogate.")
    found = labelled(ask, report, soundbite, close, metadata=metadata)
    assert (found["doctor"].role, found["doctor"].name) == (GUEST, "Marisol Quennell-Abara")
    # a full name after hers in the sentence is still the nearer voice
    report = ("reporter", "Doctor Marisol Quennell-Abara is a consultant cardiologist and treated Tomasz Brill.")
    found = labelled(ask, report, soundbite, close, metadata=metadata)
    assert found["doctor"].name != "Marisol Quennell-Abara"
