"""The whole pipeline on the seed broadcast, through the real CLI, with the default models."""

from __future__ import annotations

import json
import shutil
import subprocess

import pytest

from retranscribe.results import Correction, CorrectionStatus
from retranscribe.scoring import known_error_outcomes
from retranscribe.wer import wer

pytestmark = [pytest.mark.slow, pytest.mark.isa]

OUTPUTS = {
    "transcript.json", "captions.fixed.vtt", "captions.fixed.srt", "captions.fixed.txt",
    "corrections.json", "score.json", "diarization.rttm", "report.html", "run.json",
}


@pytest.fixture(scope="module")
def run_dir(cli, samples, tmp_path_factory):
    out = tmp_path_factory.mktemp("seed-run")
    result = cli(
        "run", str(samples / "broadcast.wav"),
        "--captions", str(samples / "captions.en.vtt"),
        "--info", str(samples / "info.json"),
        "--out", str(out),
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    assert str(out) in result.stdout
    return out


def test_every_output_is_written(run_dir):
    assert OUTPUTS <= {p.name for p in run_dir.iterdir()}
    assert set(json.loads((run_dir / "run.json").read_text())["files"]) >= OUTPUTS - {"run.json"}


def test_transcript_json_has_speakers_with_roles_and_names(run_dir, reference_turns):
    transcript = json.loads((run_dir / "transcript.json").read_text())
    roles = {s["role"] for s in transcript["speakers"]}
    assert roles <= {"anchor", "correspondent", "quoted official", "other"}
    assert len(transcript["speakers"]) == 3
    names = {s["name"] for s in transcript["speakers"]}
    assert {"Heather", "Anna Cunningham", "John Kirby"} <= names
    segment = transcript["segments"][0]
    assert {"start", "end", "speaker", "text", "words"} <= set(segment)
    assert {"start", "end", "word", "probability"} <= set(segment["words"][0])
    assert {s["speaker"] for s in transcript["segments"]} <= {s["id"] for s in transcript["speakers"]}


# MKL's int8 kernels differ with the CPU, so the ASR's words and the scorer's numbers differ
# slightly from machine to machine (issue 15). What must hold on every machine is asserted on the
# default run and on a run with another instruction-set path (MKL and CTranslate2 forced to AVX2,
# as on a machine without AVX-512): the properties, never one run's exact words.
ISA_ENV = {"AVX2": {"MKL_ENABLE_INSTRUCTIONS": "AVX2", "CT2_FORCE_CPU_ISA": "AVX2"}}


@pytest.fixture(scope="module", params=["default", "AVX2"])
def any_isa_run(request, cli, samples, tmp_path_factory):
    if request.param == "default":
        return request.getfixturevalue("run_dir")
    out = tmp_path_factory.mktemp(f"seed-run-{request.param}")
    result = cli(
        "run", str(samples / "broadcast.wav"),
        "--captions", str(samples / "captions.en.vtt"),
        "--info", str(samples / "info.json"),
        "--out", str(out),
        # its own stage cache: the ISA is not part of a stage's key
        env={**ISA_ENV[request.param], "RETRANSCRIBE_STAGE_CACHE": str(tmp_path_factory.mktemp("cache-" + request.param))},
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    return out


def test_fixed_captions_beat_both_inputs(any_isa_run, samples):
    truth = (samples / "reference.txt").read_text()
    fixed = (any_isa_run / "captions.fixed.txt").read_text()
    captions = (samples / "captions.txt").read_text()
    transcript = json.loads((any_isa_run / "transcript.json").read_text())
    asr = " ".join(s["text"] for s in transcript["segments"])
    assert wer(truth, fixed) < wer(truth, captions)
    assert wer(truth, fixed) <= wer(truth, asr)
    assert wer(truth, fixed) <= 0.010


def test_every_known_caption_error_is_fixed_or_suspected(any_isa_run, samples):
    script = json.loads((samples / "broadcast_script.json").read_text())
    fixed_text = (any_isa_run / "captions.fixed.txt").read_text()
    corrections = [Correction.from_dict(c) for c in json.loads((any_isa_run / "corrections.json").read_text())]
    outcomes = known_error_outcomes(script["caption_errors"], fixed_text, corrections)
    missed = [error["caption"] for error, outcome in zip(script["caption_errors"], outcomes) if outcome == "missed"]
    # "weapon support" is heard as "weapon" by the ASR too: no evidence, so it may stay.
    assert set(missed) <= {"weapon support"}, missed


def _truth_matches(truth: list[str], hypothesis: list[str]) -> dict[int, int]:
    """hypothesis word index -> truth word index, for the words an alignment calls equal."""
    import jiwer

    pairs = {}
    for chunk in jiwer.process_words(" ".join(truth), " ".join(hypothesis)).alignments[0]:
        if chunk.type == "equal":
            for k in range(chunk.ref_end_idx - chunk.ref_start_idx):
                pairs[chunk.hyp_start_idx + k] = chunk.ref_start_idx + k
    return pairs


def test_no_fix_changes_a_true_caption_word(any_isa_run, samples):
    """No false fix: every edit the fix made to the captions touches only caption words that
    differ from the truth ("nailbiter" -> "nailed by her" was one), and no truth word the
    captions had is lost."""
    import difflib

    from retranscribe.wer import normalize

    truth = normalize((samples / "reference.txt").read_text()).split()
    captions = normalize((samples / "captions.txt").read_text()).split()
    fixed = normalize((any_isa_run / "captions.fixed.txt").read_text()).split()
    right_in_captions = _truth_matches(truth, captions)
    right_in_fixed = _truth_matches(truth, fixed)
    wrong = [
        f"{' '.join(captions[i1:i2])} -> {' '.join(fixed[j1:j2])}"
        for op, i1, i2, j1, j2 in difflib.SequenceMatcher(a=captions, b=fixed, autojunk=False).get_opcodes()
        if op != "equal" and any(i in right_in_captions for i in range(i1, i2))
    ]
    assert wrong == []
    assert set(right_in_captions.values()) - set(right_in_fixed.values()) == set()


def test_no_caption_word_is_lost(any_isa_run, samples):
    """Every truth word the captions have is still in the fixed captions."""
    from align import align
    from align.alignment import BlockKind
    from retranscribe.transcript import CaptionCue, CaptionTrack, Segment, Transcript, Word

    def as_transcript(text: str) -> Transcript:
        words = [Word(i, i + 1, " " + w) for i, w in enumerate(text.split())]
        return Transcript([Segment(0, len(words), text, words)])

    truth = (samples / "reference.txt").read_text()

    def kept(text: str) -> set[int]:
        alignment = align(CaptionTrack([CaptionCue(None, None, text)]), as_transcript(truth))
        return {i for b in alignment.blocks if b.kind is BlockKind.MATCH for i in range(b.asr_start, b.asr_end)}

    in_captions = kept((samples / "captions.txt").read_text())
    in_fixed = kept((any_isa_run / "captions.fixed.txt").read_text())
    assert in_captions - in_fixed == set()


def test_truth_given_as_captions_stays_identical(run_dir, samples):
    import align
    from asr import AsrOptions, load_model
    from retranscribe.audio import load_audio
    from retranscribe.transcript import CaptionCue, CaptionTrack, Transcript

    truth = (samples / "reference.txt").read_text()
    track = CaptionTrack([CaptionCue(None, None, truth)])
    transcript = Transcript.read(run_dir / "transcript.json")
    audio = load_audio(samples / "broadcast.wav")
    scorer = align.AcousticScorer(load_model(AsrOptions()), audio, "en")
    judge = align.AcousticScorer(load_model(AsrOptions(model=align.FixOptions().second_judge)), audio, "en")
    info = json.loads((samples / "info.json").read_text())
    lexicon = align.EntityLexicon.from_video(info["title"], info["description"], truth)
    result = align.fix_and_score(track, transcript, scorer, lexicon, judge=judge)
    assert [c for c in result.corrections if c.status is CorrectionStatus.FIXED] == []
    assert " ".join(c.text for c in result.fixed_cues).split() == truth.split()


def test_fixed_vtt_has_voice_tags_with_names(run_dir):
    import webvtt

    cues = webvtt.read(str(run_dir / "captions.fixed.vtt"))
    assert {"Heather", "Anna Cunningham", "John Kirby"} <= {c.voice for c in cues}


def test_report_renders_in_a_browser(run_dir, tmp_path):
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if chromium is None:
        pytest.fail("chromium is not installed: run ./scripts/setup.sh --test")
    dom = subprocess.run(
        [chromium, "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         f"--user-data-dir={tmp_path / 'profile'}", "--dump-dom", (run_dir / "report.html").as_uri()],
        capture_output=True, text=True, timeout=120,
    ).stdout
    assert '<svg id="timeline"' in dom and "<rect" in dom
    assert dom.count('class="correction fixed"') >= 5
    assert "John Kirby" in dom and "quoted official" in dom
    assert "http://" not in dom.replace('xmlns="http://www.w3.org/2000/svg"', "")
