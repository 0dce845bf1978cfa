"""The `retranscribe` command line."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Optional

import typer
from rich.console import Console
from rich.table import Table

from retranscribe import models

# The command prints its own one-line errors and summary; Prefect's console logs (task
# tracebacks included) would bury them. Prefect still records warnings and errors with the
# flow run (``prefect flow-run logs``).
os.environ.setdefault("PREFECT_LOGGING_LEVEL", "WARNING")
os.environ.setdefault("PREFECT_LOGGING_HANDLERS_CONSOLE_LEVEL", "CRITICAL")
# Without PREFECT_API_URL, flows run against a temporary local server; its first start on a
# fresh Prefect home migrates a database, which took over 20 s (Prefect's default limit) on
# 2 busy cores.
os.environ.setdefault("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", "180")

SAMPLES = Path(__file__).resolve().parent.parent / "audio_samples"

app = typer.Typer(no_args_is_help=True, add_completion=False, help=__doc__)
models_app = typer.Typer(invoke_without_command=True, help="List, verify and locate models.")
app.add_typer(models_app, name="models")
console = Console()
err_console = Console(stderr=True)


def fail(message: str, code: int = 1) -> None:
    err_console.print(f"[bold red]error:[/] {message}", highlight=False, soft_wrap=True)
    raise typer.Exit(code)


@models_app.callback()
def models_list(ctx: typer.Context) -> None:
    """List the embedded models and verify every file against its recorded sha256."""
    if ctx.invoked_subcommand is not None:
        return
    table = Table(title="Embedded models (offline)")
    for column in ("name", "kind", "aliases", "sha256", "source"):
        table.add_column(column)
    broken = []
    for model in models.EMBEDDED_MODELS:
        try:
            checks = models.verify_embedded(model.name)
            status = "[green]ok[/]" if all(checks.values()) else "[red]MISMATCH[/]"
            if not all(checks.values()):
                broken.append(model.name)
        except models.ModelError as error:
            status = f"[red]{error}[/]"
            broken.append(model.name)
        table.add_row(model.name, model.kind, ", ".join(model.aliases), status, model.description)
    console.print(table)
    console.print(f"cache: {models.cache_root() / 'models'}")
    if broken:
        fail(f"models failed verification: {', '.join(broken)}")


@models_app.command("path")
def models_path(name: str) -> None:
    """Print the local folder of a resolved model (embedded, local or hub-cached)."""
    try:
        model = models.embedded_model(name)
        path = models.resolve_embedded(name) if model else models.resolve_whisper(name)
    except models.ModelError as error:
        fail(str(error))
    print(path)


def _run_video(**parameters) -> dict:
    from flows.video import retranscribe_video
    from retranscribe.audio import AudioError
    from source import SourceError

    try:
        return retranscribe_video(**parameters)
    except (SourceError, AudioError, models.ModelError, ValueError, OSError) as error:
        fail(str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__)


def _print_result(result: dict) -> None:
    table = Table(title="retranscribe", show_header=False)
    table.add_column("what")
    table.add_column("value")
    wer = result.get("caption_wer_vs_audio")
    table.add_row("caption WER vs audio", "n/a (no captions)" if wer is None else f"{wer:.1%}")
    table.add_row("corrections applied", str(result.get("corrections", 0)))
    table.add_row("suspected errors", str(result.get("suspected", 0)))
    for speaker in result.get("speakers", []):
        table.add_row(f"speaker {speaker['id']}", f"{speaker['role']}  {speaker.get('name') or ''}")
    for stage, message in result.get("failures", {}).items():
        table.add_row(f"[red]{stage} failed[/]", message)
    if result.get("cached_stages"):
        table.add_row("resumed from cache", ", ".join(result["cached_stages"]))
    console.print(table)
    console.print(f"outputs: [bold]{result['out_dir']}[/]")
    for name in sorted(result.get("files", {})):
        console.print(f"  {result['files'][name]}", highlight=False)


@app.command()
def run(
    source: str = typer.Argument(..., help="Video URL or local audio/video file."),
    captions: Optional[Path] = typer.Option(None, help="Local caption file (VTT, SRT, json3, srv3, plain text)."),
    out: Path = typer.Option(Path("out"), help="Output folder."),
    model: str = typer.Option("base", help="Whisper model: base, tiny.en, a local folder or a hub name."),
    device: str = typer.Option("auto", help="auto, cpu or cuda."),
    info: Optional[Path] = typer.Option(None, help="yt-dlp style .info.json with title and description."),
    beam_size: int = typer.Option(5, min=1, help="Whisper's beam width; 1 (greedy) is faster on a CPU."),
    num_speakers: Optional[int] = typer.Option(None, help="Exact number of speakers, if known."),
    min_speakers: Optional[int] = typer.Option(None),
    max_speakers: Optional[int] = typer.Option(None),
    diarization_pipeline: Optional[str] = typer.Option(
        None, help="pyannote hub pipeline (e.g. pyannote/speaker-diarization-community-1) instead of the offline one."
    ),
    hf_token_env: Optional[str] = typer.Option(
        None, help="Name of the environment variable that holds a Hugging Face token (never the token itself)."
    ),
    language: str = typer.Option("en", help="Caption language to pick when downloading."),
    allow_file_urls: bool = typer.Option(False, help="Let yt-dlp open file:// URLs."),
) -> None:
    """Re-transcribe one video or file and fix its captions."""
    result = _run_video(
        source=source,
        out_dir=str(out),
        captions=None if captions is None else str(captions),
        info=None if info is None else str(info),
        model=model,
        device=device,
        beam_size=beam_size,
        num_speakers=num_speakers,
        min_speakers=min_speakers,
        max_speakers=max_speakers,
        diarization_pipeline=diarization_pipeline,
        hf_token_env=hf_token_env,
        caption_language=language,
        allow_file_urls=allow_file_urls,
    )
    _print_result(result)


@app.command()
def demo(
    out: Path = typer.Option(Path("out/demo"), help="Output folder."),
    model: str = typer.Option("base", help="Whisper model."),
    device: str = typer.Option("auto", help="auto, cpu or cuda."),
) -> None:
    """Run the whole pipeline on the embedded sample broadcast (audio_samples/)."""
    result = _run_video(
        source=str(SAMPLES / "broadcast.wav"),
        out_dir=str(out),
        captions=str(SAMPLES / "captions.en.vtt"),
        info=str(SAMPLES / "info.json"),
        model=model,
        device=device,
    )
    _print_result(result)


@app.command()
def batch(
    manifest: str = typer.Argument(..., help="Text/CSV file of URLs or paths (source[,captions,info]), or a playlist URL."),
    out: Path = typer.Option(Path("out/batch"), help="Parent folder: one sub-folder per video."),
    model: str = typer.Option("base", help="Whisper model for every video."),
    device: str = typer.Option("auto", help="auto, cpu or cuda."),
    fan_out: bool = typer.Option(False, help="Start one retranscribe-video deployment run per video (needs a Prefect server and workers)."),
) -> None:
    """Re-transcribe every video of a manifest; failures are reported and do not stop the rest."""
    from flows.batch import ManifestError, retranscribe_batch

    try:
        summary = retranscribe_batch(manifest=manifest, out_dir=str(out), model=model, device=device, fan_out=fan_out)
    except (ManifestError, OSError, UnicodeDecodeError) as error:
        fail(str(error).splitlines()[0])
    table = Table(title=f"batch: {summary['completed']} of {summary['videos']} completed")
    for column in ("video", "status", "caption WER", "corrections", "output / error"):
        table.add_column(column)
    for r in summary["results"]:
        wer = r.get("caption_wer_vs_audio")
        ok = r["status"] == "completed"
        table.add_row(
            r["source"],
            "[green]completed[/]" if ok else "[red]failed[/]",
            "" if wer is None else f"{wer:.1%}",
            str(r.get("corrections", "")),
            r["out_dir"] if ok else r.get("error", ""),
        )
    console.print(table)
    if summary["failed"]:
        raise typer.Exit(1)


@app.command()
def score(
    captions: Path = typer.Argument(..., help="Caption file to score (VTT, SRT, json3, srv3, plain text)."),
    reference: Path = typer.Option(..., help="Reference transcript: plain text, STM, or JSON speaker turns (like audio_samples/reference.json)."),
) -> None:
    """Score captions against a reference transcript: WER, and cpWER when both have speakers."""
    from retranscribe.scoring import score_against_reference
    from source import SourceError

    try:
        result = score_against_reference(captions, reference)
    except (SourceError, OSError, ValueError) as error:
        fail(str(error).splitlines()[0])
    table = Table(title=f"{captions.name} vs {reference.name}", show_header=False)
    table.add_column("measure")
    table.add_column("value")
    for key, value in result.items():
        table.add_row(key, f"{value:.2%}" if isinstance(value, float) else str(value))
    console.print(table)
