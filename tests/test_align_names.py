"""Names the video spells, found where captions wrote them as other words (align.names)."""

from __future__ import annotations

from align.names import closest_name, find_name_candidates, name_runs, same_name


def candidates(caption: str, description: str, threshold: float = 0.75):
    words = caption.split()
    runs = name_runs([description])
    return {(" ".join(words[c.start : c.end]), " ".join(c.run.words)) for c in find_name_candidates(words, runs, threshold)}


def test_runs_are_whole_words_of_a_name_without_the_possessive():
    runs = {" ".join(r.words) for r in name_runs(["Meridian News' Marcus Delacroix-Byrne"])}
    assert {"Delacroix-Byrne", "Marcus Delacroix-Byrne", "Meridian News", "Marcus"} <= runs
    assert "News'" not in runs and not any("Delacroix" == r for r in runs)


def test_a_name_split_into_common_words_is_a_candidate_whole():
    found = candidates("For Meridian News I'm Marcus Della Croix Burn at Riverton", "Marcus Delacroix-Byrne")
    assert ("Della Croix Burn", "Delacroix-Byrne") in found
    assert not any("Marcus" in caption.split() or "Riverton" in caption.split() for caption, _ in found)
    assert ("Oh yell Ron price", "Oyelaran-Price") in candidates("And I'm Graham Oh yell Ron price The closest race", "Graham Oyelaran-Price")
    assert ("Abernathy low", "Abernathy-Lowe") in candidates("Nkechi Abernathy low visited one", "Nkechi Abernathy-Lowe")


def test_a_name_may_be_heard_as_a_word_per_syllable():
    # five words for the two parts of a five-syllable name; never more words than syllables
    found = candidates("The finance minister Henrietta Acta Berg so on day promised", "Henrietta Achterberg-Sowande")
    assert ("Acta Berg so on day", "Achterberg-Sowande") in found
    assert not any(len(caption.split()) > 3 for caption, name in candidates("the Glen more and the school", "Glenmore") if name == "Glenmore")


def test_a_word_spelled_as_the_name_writes_it_is_no_candidate():
    # "Devlin" is right: only "Rory" could be the error, and it is compared alone
    runs = name_runs(["Ruairí Devlin"])
    assert closest_name(["Rory", "Devlin"], runs, 0.6) is None
    assert closest_name(["Katsaros-Webb"], name_runs(["Ines Katsaros-Webb"]), 0.6) is None


def test_the_names_letters_split_into_other_words_are_the_name_misheard():
    runs = name_runs(["Ingrid Solberg-Achebe"])
    assert closest_name(["Sol", "Berg", "a", "Chebe"], runs, 0.75)[0].words == ("Solberg-Achebe",)
    # the name as the video writes it, or with a space for its hyphen, is no misspelling
    assert closest_name(["Solberg-Achebe"], runs, 0.75) is None
    assert closest_name(["Solberg", "Achebe"], runs, 0.75) is None


def test_the_possessive_is_the_name_itself():
    runs = name_runs(["Education Ministry's pilot", "Meridian News'"])
    assert same_name(["Ministry"], next(r for r in runs if r.words == ("Ministry",)))
    assert closest_name(["Ministry"], runs, 0.6) is None
    assert closest_name(["Meridian's"], runs, 0.9) is None


def test_words_around_a_name_spelled_right_are_other_words():
    runs = name_runs(["Glenmore Elementary", "Maybury-Cho"])
    assert closest_name(["at", "Glen", "more"], runs, 0.6) is None
    assert closest_name(["May", "bury", "Cho", "told"], runs, 0.6) is None


def test_where_the_asr_spelled_the_name_its_sound_is_enough():
    runs = name_runs(["Ruairí Devlin", "Kourou", "Darnell Whitehorse"])
    # letters too unlike for a caption run on its own ...
    assert closest_name(["Rory"], runs, 0.75) is None
    # ... but the ASR spelled the name there, and the sound codes agree
    assert closest_name(["Rory"], runs, 0.6, by_sound=True)[0].words == ("Ruairí",)
    assert closest_name(["Coral"], runs, 0.6, by_sound=True)[0].words == ("Kourou",)
    # half a name is not the name, whatever it sounds like
    assert closest_name(["White"], runs, 0.6, by_sound=True) is None


def test_each_caption_word_is_sounded_on_its_own():
    # "Pie Why" is P-W like *Paewai*; joined, its letters would read "piewhy", whose "ph" is a
    # sound no one said. The ASR wrote the name there, so its sound is enough.
    runs = name_runs(["Tamati Paewai"])
    assert closest_name(["Pie", "Why"], runs, 0.6, by_sound=True)[0].words == ("Paewai",)
