"""``report.html``: one self-contained page per video (inline CSS, an inline SVG timeline, no
network), for a person checking what retranscribe changed and why."""

from __future__ import annotations

import html
import os
from pathlib import Path

from report.summary import _fmt_time
from retranscribe.results import Correction, CorrectionStatus, RunRecord
from retranscribe.transcript import CaptionCue, Speaker

PALETTE = ["#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b", "#e377c2", "#17becf"]

CSS = """
body{font:15px/1.5 system-ui,-apple-system,Segoe UI,Roboto,sans-serif;margin:0 auto;max-width:1100px;padding:1.5em;color:#222}
h1{font-size:1.5em;margin-bottom:.2em} h2{margin-top:1.6em;border-bottom:1px solid #ddd}
.meta{color:#555} table{border-collapse:collapse;width:100%;margin:.5em 0}
th,td{border-bottom:1px solid #e5e5e5;padding:.35em .5em;text-align:left;vertical-align:top}
th{background:#f6f6f6} .num{text-align:right;font-variant-numeric:tabular-nums}
del{background:#fde2e1;color:#8a1c17} ins{background:#dcf5dc;color:#15591b;text-decoration:none}
mark{background:#fff3bf} .unheard{background:#eee;border-left:4px solid #999;padding-left:.4em}
.badge{font-size:.8em;padding:.05em .45em;border-radius:.6em;background:#eee;margin-left:.3em}
.fixed{background:#dcf5dc} .suspected{background:#fff3bf} .fail{color:#a11}
a.t{font-variant-numeric:tabular-nums;text-decoration:none} .cue{margin:.15em 0}
.who{display:inline-block;min-width:9em;font-weight:600} audio{width:100%;margin:.5em 0}
"""

SEEK_JS = """
document.querySelectorAll('a.t').forEach(function(a){a.addEventListener('click',function(e){
 var p=document.getElementById('player'); if(!p) return; e.preventDefault();
 p.currentTime=parseFloat(a.dataset.t); p.play();});});
"""


def _e(text: object) -> str:
    return html.escape(str(text), quote=True)


def _speaker_colors(speakers: list[Speaker]) -> dict[str | None, str]:
    colors = {s.id: PALETTE[i % len(PALETTE)] for i, s in enumerate(speakers)}
    colors[None] = "#999"
    return colors


def _speaker_label(speaker: Speaker) -> str:
    parts = [speaker.name] if speaker.name else []
    if speaker.role.value != "other":
        parts.append(speaker.role.value)
    return " · ".join(parts) or speaker.id


def timeline_svg(run: RunRecord, width: int = 1000) -> str:
    """Who speaks when: one lane per speaker, turns coloured by speaker, labelled with role and name."""
    speakers = list(run.transcript.speakers)
    known = {s.id for s in speakers}
    for turn in run.turns:
        if turn.speaker not in known:
            speakers.append(Speaker(turn.speaker))
            known.add(turn.speaker)
    duration = run.transcript.duration or max([t.end for t in run.turns] + [s.end for s in run.transcript.segments] + [1.0])
    colors = _speaker_colors(speakers)
    # Lane labels get the width of the longest one (about 7.5 px a character at 13 px).
    label_w = min(max([len(_speaker_label(s)) for s in speakers] + [10]) * 7.5 + 16, width / 3)
    lane_h, top = 26, 10
    plot_w = width - label_w - 10
    height = top + lane_h * max(len(speakers), 1) + 30
    x = lambda t: label_w + plot_w * max(0.0, min(t, duration)) / duration
    parts = [
        f'<svg id="timeline" role="img" aria-label="Speaker timeline" xmlns="http://www.w3.org/2000/svg" '
        f'viewBox="0 0 {width} {height}" width="100%">'
    ]
    lanes = {s.id: i for i, s in enumerate(speakers)}
    for speaker in speakers:
        y = top + lanes[speaker.id] * lane_h
        parts.append(f'<text x="4" y="{y + 17}" font-size="13">{_e(_speaker_label(speaker))}</text>')
        parts.append(f'<line x1="{label_w}" x2="{width - 10}" y1="{y + lane_h / 2}" y2="{y + lane_h / 2}" stroke="#eee"/>')
    # Without diarization turns, the transcript's segments show who speaks when.
    spans = [(t.start, t.end, t.speaker) for t in run.turns] or [(s.start, s.end, s.speaker) for s in run.transcript.segments]
    for start, end, speaker in spans:
        if speaker not in lanes:
            continue
        y = top + lanes[speaker] * lane_h + 4
        parts.append(
            f'<rect x="{x(start):.1f}" y="{y}" width="{max(x(end) - x(start), 1):.1f}" '
            f'height="{lane_h - 8}" fill="{colors[speaker]}"><title>{_e(speaker)} '
            f"{_fmt_time(start)}–{_fmt_time(end)}</title></rect>"
        )
    axis_y = top + lane_h * max(len(speakers), 1) + 14
    step = next(s for s in (5, 10, 15, 30, 60, 120, 300, 600, 1800, 3600, 7200) if duration / s <= 12)
    t = 0.0
    while t <= duration:
        parts.append(f'<text x="{x(t):.1f}" y="{axis_y}" font-size="11" text-anchor="middle" fill="#666">{_fmt_time(t)}</text>')
        t += step
    parts.append("</svg>")
    return "".join(parts)


def _time_link(seconds: float) -> str:
    return f'<a class="t" href="#t={seconds:.2f}" data-t="{seconds:.2f}">{_fmt_time(seconds)}</a>'


def _mark_cue(cue: CaptionCue, corrections: list[Correction]) -> str:
    """The cue's text with its corrections shown inline: ~~caption~~ → fixed, suspects marked."""
    text = _e(cue.text)
    for c in corrections:
        if not (cue.start - 0.5 <= c.start <= cue.end + 0.5):
            continue
        note = _e(f"{c.reason} (confidence {c.confidence:.2f})")
        if c.status is CorrectionStatus.FIXED and c.fixed and _e(c.fixed) in text:
            text = text.replace(_e(c.fixed), f'<del title="{note}">{_e(c.caption)}</del> <ins title="{note}">{_e(c.fixed)}</ins>', 1)
        elif c.status is CorrectionStatus.SUSPECTED and c.caption and _e(c.caption) in text:
            text = text.replace(_e(c.caption), f'<mark title="suspected: {note}">{_e(c.caption)}</mark>', 1)
    return text


def render_report(run: RunRecord, out_dir: str | Path) -> str:
    out_dir = Path(out_dir)
    meta = run.metadata
    score = run.score
    speakers = {s.id: s for s in run.transcript.speakers}
    colors = _speaker_colors(run.transcript.speakers)
    body = [f"<h1>{_e(meta.title or meta.id)}</h1>"]
    facts = [meta.uploader, meta.webpage_url, f"{_fmt_time(run.transcript.duration or 0)} long" if run.transcript.duration else ""]
    body.append(f'<p class="meta">{" · ".join(_e(f) for f in facts if f)}</p>')
    if meta.description:
        body.append(f'<p class="meta">{_e(meta.description)}</p>')

    if run.audio_file and Path(run.audio_file).is_file():
        relative = os.path.relpath(Path(run.audio_file).resolve(), out_dir.resolve())
        if not relative.startswith(".."):
            body.append(f'<audio id="player" controls preload="none" src="{_e(relative)}"></audio>')

    body.append("<h2>Who speaks when</h2>")
    body.append(timeline_svg(run))

    body.append("<h2>Scores</h2><table><tr><th>measure</th><th class=num>value</th></tr>")
    unheard = score.unheard if score is not None else []
    rows = [
        ("caption WER vs audio (agreement with the new transcript)", "n/a (no captions)" if score is None else f"{score.wer:.1%}"),
        ("caption words", 0 if score is None else score.caption_words),
        ("corrections applied", run.fixed_count),
        ("suspected errors (kept, listed for review)", run.suspected_count),
        ("caption spans unheard even after re-decoding", len(unheard)),
    ]
    body += [f"<tr><td>{_e(k)}</td><td class=num>{_e(v)}</td></tr>" for k, v in rows]
    body.append("</table>")
    for stage, message in run.failures.items():
        body.append(f'<p class="fail">{_e(stage)} failed: {_e(message)}</p>')

    if run.transcript.speakers:
        body.append("<table><tr><th>speaker</th><th>role</th><th>name</th><th class=num>caption WER</th><th class=num>words heard</th></tr>")
        for speaker in run.transcript.speakers:
            stats = score.per_speaker.get(speaker.id) if score is not None else None
            wer_text = "" if stats is None else f"{stats.wer:.1%}"
            heard = "" if stats is None else stats.asr_words
            body.append(
                f'<tr><td><span style="color:{colors[speaker.id]}">■</span> {_e(speaker.id)}</td><td>{_e(speaker.role.value)}</td>'
                f"<td>{_e(speaker.name or '')}</td><td class=num>{wer_text}</td><td class=num>{_e(heard)}</td></tr>"
            )
        body.append("</table>")

    body.append("<h2>Corrections</h2>")
    if run.corrections:
        body.append('<table id="corrections"><tr><th>time</th><th>speaker</th><th>caption → fixed</th><th>status</th><th class=num>confidence</th><th>reason</th></tr>')
        for c in sorted(run.corrections, key=lambda c: c.start):
            who = speakers.get(c.speaker)
            change = f"<del>{_e(c.caption)}</del> → <ins>{_e(c.fixed)}</ins>"
            body.append(
                f'<tr class="correction {c.status.value}"><td>{_time_link(c.start)}</td><td>{_e(who.label if who else c.speaker or "")}</td>'
                f"<td>{change}</td><td>{_e(c.status.value)}</td><td class=num>{c.confidence:.2f}</td><td>{_e(c.reason)}</td></tr>"
            )
        body.append("</table>")
    else:
        body.append("<p>No corrections.</p>")

    if unheard:
        body.append("<h2>Caption text the audio did not confirm</h2>")
        for gap in unheard:
            body.append(f'<p class="unheard">{_time_link(gap.start)} {_e(" ".join(gap.caption_words))}</p>')

    body.append("<h2>Fixed captions</h2>")
    for cue in run.fixed_cues:
        who = speakers.get(cue.speaker)
        label = who.label if who else (cue.speaker or "")
        in_gap = any(g.start <= cue.start <= g.end for g in unheard)
        body.append(
            f'<p class="cue{" unheard" if in_gap else ""}">{_time_link(cue.start)} '
            f'<span class="who" style="color:{colors.get(cue.speaker, "#555")}">{_e(label)}</span> {_mark_cue(cue, run.corrections)}</p>'
        )

    return (
        "<!DOCTYPE html><html lang=en><head><meta charset=utf-8>"
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{_e(meta.title or meta.id)} — retranscribe report</title><style>{CSS}</style></head>"
        f"<body>{''.join(body)}<script>{SEEK_JS}</script></body></html>\n"
    )
