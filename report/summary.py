"""The run summary in Markdown: the Prefect artifact, and the same facts the HTML report shows."""

from __future__ import annotations

from retranscribe.results import CorrectionStatus, RunRecord


def _fmt_time(seconds: float) -> str:
    minutes, secs = divmod(max(seconds, 0.0), 60)
    return f"{int(minutes)}:{secs:04.1f}"


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def summary_markdown(run: RunRecord, top: int = 10) -> str:
    score = run.score
    lines = [f"# {_cell(run.metadata.title or run.metadata.id)}", ""]
    lines += ["| score | value |", "|---|---|"]
    lines.append(f"| caption WER vs audio | {'n/a (no captions)' if score is None else f'{score.wer:.1%}'} |")
    lines.append(f"| caption words | {0 if score is None else score.caption_words} |")
    lines.append(f"| corrections applied | {run.fixed_count} |")
    lines.append(f"| suspected errors | {run.suspected_count} |")
    lines.append(f"| gaps unheard after re-decoding | {0 if score is None else len(score.unheard)} |")
    for stage, message in run.failures.items():
        lines.append(f"| {stage} failed | {_cell(message)} |")
    lines.append("")

    if run.transcript.speakers:
        lines += ["## Speakers", "", "| speaker | role | name | caption WER |", "|---|---|---|---|"]
        per_speaker = score.per_speaker if score is not None else {}
        for speaker in run.transcript.speakers:
            stats = per_speaker.get(speaker.id)
            lines.append(
                f"| {speaker.id} | {speaker.role.value} | {_cell(speaker.name or '')} | "
                f"{'' if stats is None else f'{stats.wer:.1%}'} |"
            )
        lines.append("")

    if run.corrections:
        lines += ["## Top corrections", "", "| time | caption | fixed | status | confidence | reason |", "|---|---|---|---|---|---|"]
        ranked = sorted(run.corrections, key=lambda c: (c.status is not CorrectionStatus.FIXED, -c.confidence))
        for c in ranked[:top]:
            lines.append(
                f"| {_fmt_time(c.start)} | ~~{_cell(c.caption)}~~ | {_cell(c.fixed)} | {c.status.value} | "
                f"{c.confidence:.2f} | {_cell(c.reason)} |"
            )
        lines.append("")
    return "\n".join(lines)
