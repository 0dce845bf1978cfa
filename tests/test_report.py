"""The run summary and the HTML report for a run without captions (a video that has none):
nothing to score, and neither may pretend there was."""

from __future__ import annotations

from report.html import render_report
from report.summary import summary_markdown
from retranscribe.results import RunRecord
from retranscribe.transcript import SpeakerTurn, VideoMetadata


def test_a_run_without_captions_says_so(reference_transcript, reference_turns, tmp_path):
    run = RunRecord(
        metadata=VideoMetadata(id="seed", title="A video without captions"),
        transcript=reference_transcript,
        score=None,
        turns=[SpeakerTurn(t["start"], t["end"], t["speaker"]) for t in reference_turns],
    )
    summary = summary_markdown(run)
    assert "| caption WER vs audio | n/a (no captions) |" in summary
    assert "John Kirby" in summary
    html = render_report(run, tmp_path)
    assert "n/a" in html and "0.0%" not in html
    assert 'id="timeline"' in html and "Anna Cunningham" in html
