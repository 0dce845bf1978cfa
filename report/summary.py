"""The run summary in Markdown: the Prefect artifact, and the same facts the HTML report shows."""

from __future__ import annotations

from retranscribe.outputs import RunOutputs


def _fmt_time(seconds: float) -> str:
    minutes, secs = divmod(max(seconds, 0.0), 60)
    return f"{int(minutes)}:{secs:04.1f}"


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def summary_markdown(run: RunOutputs, top: int = 10) -> str:
    score = run.score
    lines = [f"# {_cell(run.metadata.title or run.metadata.id)}", ""]
    lines += ["| score | value |", "|---|---|"]
    wer = score.get("caption_wer_vs_audio")
    lines.append(f"| caption WER vs audio | {'n/a (no captions)' if wer is None else f'{wer:.1%}'} |")
    lines.append(f"| caption words | {score.get('caption_words', 0)} |")
    fixed = [c for c in run.corrections if c["status"] == "fixed"]
    suspected = [c for c in run.corrections if c["status"] == "suspected"]
    lines.append(f"| corrections applied | {len(fixed)} |")
    lines.append(f"| suspected errors | {len(suspected)} |")
    lines.append(f"| gaps unheard after re-decoding | {len(score.get('unheard', []))} |")
    for stage, message in score.get("failures", {}).items():
        lines.append(f"| {stage} failed | {_cell(message)} |")
    lines.append("")

    if run.transcript.speakers:
        lines += ["## Speakers", "", "| speaker | role | name | caption WER |", "|---|---|---|---|"]
        per_speaker = score.get("per_speaker", {})
        for speaker in run.transcript.speakers:
            wer = per_speaker.get(speaker.id, {}).get("wer")
            lines.append(
                f"| {speaker.id} | {speaker.role.value} | {_cell(speaker.name or '')} | "
                f"{'' if wer is None else f'{wer:.1%}'} |"
            )
        lines.append("")

    if run.corrections:
        lines += ["## Top corrections", "", "| time | caption | fixed | status | confidence | reason |", "|---|---|---|---|---|---|"]
        ranked = sorted(run.corrections, key=lambda c: (c["status"] != "fixed", -c["confidence"]))
        for c in ranked[:top]:
            lines.append(
                f"| {_fmt_time(c['start'])} | ~~{_cell(c['caption'])}~~ | {_cell(c['fixed'])} | {c['status']} | "
                f"{c['confidence']:.2f} | {_cell(c['reason'])} |"
            )
        lines.append("")
    return "\n".join(lines)
