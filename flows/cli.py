"""The `retranscribe` command line.

``run`` and ``batch`` take the same settings options, built from ``flows.settings.CLI_OPTIONS``
(plus ``--set section.field=value`` for any other setting). Input is checked before anything
heavy starts. Where a Prefect API is configured, a run is a Prefect flow run (deployments and
the UI see it); otherwise the same stage sequence runs in this process with no server.
Summaries are plain lines that never get cut, whatever the terminal's width; ``--json`` prints
one JSON document for scripts.
"""

from __future__ import annotations

import functools
import inspect
import json
import os
import sys
from pathlib import Path
from typing import Any, Optional

import typer
from rich.console import Console

from flows.settings import CLI_OPTIONS, RunSettings, cli_default, settings_from_cli
from retranscribe import models
from retranscribe.errors import InputError, describe, one_line

# The command prints its own one-line errors and summary; Prefect's console logs (task
# tracebacks included) would bury them. Prefect still records warnings and errors with the
# flow run (``prefect flow-run logs``).
os.environ.setdefault("PREFECT_LOGGING_LEVEL", "WARNING")
os.environ.setdefault("PREFECT_LOGGING_HANDLERS_CONSOLE_LEVEL", "CRITICAL")

SAMPLES = Path(__file__).resolve().parent.parent / "audio_samples"

app = typer.Typer(no_args_is_help=True, add_completion=False, help="Re-transcribe videos whose captions are wrong, and fix the captions.")
models_app = typer.Typer(invoke_without_command=True, help="List, verify and locate models.")
app.add_typer(models_app, name="models")
# soft_wrap: a long path or error message is printed whole, never cut to the terminal's width.
console = Console(soft_wrap=True, highlight=False)
err_console = Console(stderr=True, soft_wrap=True, highlight=False)


def fail(message: str, code: int = 1) -> None:
    err_console.print(f"[bold red]error:[/] {message}")
    raise typer.Exit(code)


# --- settings options, written once for every command that runs the pipeline -------------------


def with_settings(command):
    """Give ``command`` the options of ``CLI_OPTIONS`` and ``--set``; it receives the
    ``RunSettings`` they describe as its ``settings`` argument."""
    signature = inspect.signature(command)
    parameters = [p for p in signature.parameters.values() if p.name != "settings"]
    for option in CLI_OPTIONS:
        flag = "--" + option.name.replace("_", "-")
        declarations = (f"{flag}/--no-{flag[2:]}",) if option.kind is bool else (flag,)
        default = None if option.optional else cli_default(option)
        annotation = Optional[option.kind] if option.optional else option.kind
        parameters.append(
            inspect.Parameter(
                option.name,
                inspect.Parameter.KEYWORD_ONLY,
                default=typer.Option(default, *declarations, help=option.help, rich_help_panel="Settings"),
                annotation=annotation,
            )
        )
    parameters.append(
        inspect.Parameter(
            "overrides",
            inspect.Parameter.KEYWORD_ONLY,
            default=typer.Option(
                None,
                "--set",
                metavar="SECTION.FIELD=VALUE",
                help="Any other setting, as section.field=value (e.g. fix.fix_margin=6, asr.vad_filter=false); repeatable.",
                rich_help_panel="Settings",
            ),
            annotation=Optional[list[str]],
        )
    )

    @functools.wraps(command)
    def wrapper(**kwargs: Any) -> Any:
        values = {option.name: kwargs.pop(option.name) for option in CLI_OPTIONS}
        overrides = kwargs.pop("overrides") or []
        try:
            settings = settings_from_cli(values, overrides)
        except (ValueError, TypeError) as error:
            fail(one_line(error))
        return command(settings=settings, **kwargs)

    wrapper.__signature__ = signature.replace(parameters=parameters)
    return wrapper


# --- running: a Prefect flow run where an API is configured, else in this process -------------


def _prefect_settings_may_name_an_api() -> bool:
    """Whether any of the places Prefect 3 reads settings from could set an API URL: the
    environment, ``.env``, ``prefect.toml`` or ``[tool.prefect]`` in ``pyproject.toml`` here,
    or a profiles file that mentions one. Asking Prefect itself costs ~1.8 s of imports on
    2 cores, a third of the time a one-off run spends outside its stages; where no such place
    exists the answer is no without asking."""
    if any(key.startswith("PREFECT_") and "API" in key for key in os.environ):
        return True
    if Path(".env").is_file() or Path("prefect.toml").is_file():
        return True
    try:
        if "tool.prefect" in Path("pyproject.toml").read_text(errors="replace"):
            return True
    except OSError:
        pass
    home = Path(os.environ.get("PREFECT_HOME") or Path.home() / ".prefect").expanduser()
    profiles = Path(os.environ.get("PREFECT_PROFILES_PATH") or home / "profiles.toml").expanduser()
    try:
        return "API_URL" in profiles.read_text(errors="replace").upper()
    except OSError:
        return False


def prefect_api_configured() -> bool:
    if os.environ.get("PREFECT_API_URL"):
        return True
    if not _prefect_settings_may_name_an_api():
        return False
    from prefect.settings import get_current_settings

    return bool(get_current_settings().api.url)


def _use_prefect(prefect: bool | None) -> bool:
    return prefect_api_configured() if prefect is None else prefect


def check_job(job, settings: RunSettings) -> None:
    from source import check_input

    check_input(
        job.source,
        captions=job.captions,
        info=job.info,
        caption_language=settings.source.caption_language,
        allow_file_urls=settings.source.allow_file_urls,
    )


def run_one(job, settings: RunSettings, use_prefect: bool, use_cache: bool = True) -> dict[str, Any]:
    """Run one video; the headline dict of its record, with its folder and files."""
    if use_prefect:
        from flows.video import retranscribe_video

        return retranscribe_video(job.source, job.out_dir, job.captions, job.info, settings, use_cache)
    from flows.sequence import StageCache, run_video

    record, files = run_video(job, settings, cache=StageCache(enabled=use_cache))
    return {"out_dir": job.out_dir, "files": {k: str(v) for k, v in files.items()}, **record.headline()}


def run_batch_job(job, settings: RunSettings, use_cache: bool) -> dict[str, Any]:
    """One video of a batch without Prefect (module level: worker processes unpickle it)."""
    check_job(job, settings)
    return run_one(job, settings, use_prefect=False, use_cache=use_cache)


def _guarded(action):
    """Input errors (and the model registry's) are the user's to fix: one line, exit 1. Any
    other error is a bug or a broken installation: one line too, exit 2, and the traceback
    with RETRANSCRIBE_DEBUG=1."""
    try:
        return action()
    except (InputError, OSError) as error:
        fail(one_line(error))
    except Exception as error:
        if os.environ.get("RETRANSCRIBE_DEBUG"):
            raise
        fail(f"{describe(error)} (RETRANSCRIBE_DEBUG=1 shows the traceback)", code=2)


# --- printing ---------------------------------------------------------------------------------


def _percent(value: float | None) -> str:
    return "n/a (no captions)" if value is None else f"{value:.1%}"


def print_result(result: dict[str, Any], as_json: bool) -> None:
    if as_json:
        print(json.dumps(result, indent=2, ensure_ascii=False, default=str))
        return
    lines = [
        f"caption WER vs audio: {_percent(result.get('caption_wer_vs_audio'))}",
        f"corrections applied: {result.get('corrections', 0)}",
        f"suspected errors: {result.get('suspected', 0)}",
    ]
    for speaker in result.get("speakers", []):
        lines.append(f"speaker {speaker['id']}: {speaker['role']}{'  ' + speaker['name'] if speaker.get('name') else ''}")
    for stage, message in result.get("failures", {}).items():
        lines.append(f"[red]{stage} failed:[/] {message}")
    if result.get("cached_stages"):
        lines.append(f"resumed from cache: {', '.join(result['cached_stages'])}")
    lines.append(f"outputs: [bold]{result['out_dir']}[/]")
    lines += [f"  {result['files'][name]}" for name in sorted(result.get("files", {}))]
    for line in lines:
        console.print(line)


def print_batch(summary: dict[str, Any], as_json: bool) -> None:
    if as_json:
        print(json.dumps(summary, indent=2, ensure_ascii=False, default=str))
        return
    console.print(f"batch: {summary['completed']} of {summary['videos']} completed")
    for r in summary["results"]:
        if r["status"] == "completed":
            wer = r.get("caption_wer_vs_audio")
            facts = f"caption WER {_percent(wer)}, {r.get('corrections', 0)} corrections" if wer is not None else "no captions"
            console.print(f"[green]completed[/] {r['source']} -> {r['out_dir']} ({facts})")
        else:
            console.print(f"[red]failed[/] {r['source']}: {r.get('error', 'failed')}")


# --- commands ---------------------------------------------------------------------------------

PREFECT_OPTION = typer.Option(
    None, "--prefect/--no-prefect", help="Run as a Prefect flow run (default: when a Prefect API is configured)."
)
CACHE_OPTION = typer.Option(True, "--cache/--no-cache", help="Reuse stage results of an earlier run with the same inputs.")
JSON_OPTION = typer.Option(False, "--json", help="Print the summary as JSON.")


@models_app.callback()
def models_list(ctx: typer.Context) -> None:
    """List the embedded models and verify every file against its recorded sha256."""
    if ctx.invoked_subcommand is not None:
        return
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
        aliases = f" (also {', '.join(model.aliases)})" if model.aliases else ""
        console.print(f"{model.name}{aliases}: {model.kind}, sha256 {status}, {model.description}")
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


@app.command()
@with_settings
def run(
    source: str = typer.Argument(..., help="Video URL or local audio/video file."),
    captions: Optional[Path] = typer.Option(None, help="Local caption file (VTT, SRT, json3, srv3, plain text)."),
    info: Optional[Path] = typer.Option(None, help="yt-dlp style .info.json with title and description."),
    out: Path = typer.Option(Path("out"), help="Output folder."),
    prefect: Optional[bool] = PREFECT_OPTION,
    cache: bool = CACHE_OPTION,
    as_json: bool = JSON_OPTION,
    settings: RunSettings = None,
) -> None:
    """Re-transcribe one video or file and fix its captions."""
    from flows.sequence import VideoJob

    job = VideoJob(source, str(out), None if captions is None else str(captions), None if info is None else str(info))
    _guarded(lambda: check_job(job, settings))
    print_result(_guarded(lambda: run_one(job, settings, _use_prefect(prefect), cache)), as_json)


@app.command()
@with_settings
def demo(
    out: Path = typer.Option(Path("out/demo"), help="Output folder."),
    as_json: bool = JSON_OPTION,
    settings: RunSettings = None,
) -> None:
    """Run the whole pipeline on the embedded sample broadcast (audio_samples/)."""
    from flows.sequence import VideoJob

    job = VideoJob(str(SAMPLES / "broadcast.wav"), str(out), str(SAMPLES / "captions.en.vtt"), str(SAMPLES / "info.json"))
    print_result(_guarded(lambda: run_one(job, settings, _use_prefect(None))), as_json)


@app.command()
@with_settings
def batch(
    manifest: str = typer.Argument(..., help="Text/CSV file of URLs or paths (source[,captions,info]), or a playlist URL."),
    out: Path = typer.Option(Path("out/batch"), help="Parent folder: one sub-folder per video."),
    fan_out: bool = typer.Option(False, help="Start one retranscribe-video deployment run per video (needs a Prefect server and workers)."),
    workers: int = typer.Option(
        1,
        min=1,
        help="Worker processes, each loading its own models, taking videos in turn (without Prefect). On a GPU workstation 4 ran 1.37x one worker once warm: worth it for long batches; keep 1 on a small CPU machine. With Prefect, start several workers and use --fan-out.",
    ),
    prefect: Optional[bool] = PREFECT_OPTION,
    cache: bool = CACHE_OPTION,
    as_json: bool = JSON_OPTION,
    settings: RunSettings = None,
) -> None:
    """Re-transcribe every video of a manifest; failures are reported and do not stop the rest."""
    from functools import partial

    from flows.manifest import batch_jobs, run_jobs

    jobs = _guarded(lambda: batch_jobs(manifest, str(out), settings.source.allow_file_urls))
    if fan_out or _use_prefect(prefect):
        if workers > 1:
            fail("--workers runs videos in processes of this command, without Prefect; with Prefect, start several workers and use --fan-out")
        from flows.batch import retranscribe_batch

        summary = _guarded(lambda: retranscribe_batch(manifest, str(out), settings, fan_out, use_cache=cache))
    else:
        summary = run_jobs(jobs, partial(run_batch_job, settings=settings, use_cache=cache), workers)
    print_batch(summary, as_json)
    if summary["failed"]:
        raise typer.Exit(1)


@app.command()
def score(
    captions: Path = typer.Argument(..., help="Caption file to score (VTT, SRT, json3, srv3, plain text)."),
    reference: Path = typer.Option(..., help="Reference transcript: plain text, STM, or JSON speaker turns (like audio_samples/reference.json)."),
    as_json: bool = typer.Option(False, "--json", help="Print the scores as JSON."),
) -> None:
    """Score captions against a reference transcript: WER, and cpWER when both have speakers."""
    from retranscribe.scoring import score_against_reference
    from source import read_captions

    result = _guarded(lambda: score_against_reference(read_captions(captions), reference))
    if as_json:
        print(json.dumps(result, indent=2))
        return
    console.print(f"{captions.name} vs {reference.name}")
    for key, value in result.items():
        console.print(f"  {key}: {f'{value:.2%}' if isinstance(value, float) else value}")


def main() -> None:
    try:
        app(prog_name="retranscribe")
        code = 0
    except SystemExit as stop:  # typer ends every command with one
        code = stop.code
    _exit_without_teardown(code)


def _exit_without_teardown(code) -> None:
    """End the process once the command is done, skipping the interpreter's teardown: freeing
    the loaded models and finalising torch, spaCy and pyannote's modules one object at a time
    took 1.8 s after every run on 2 cores, for nothing the operating system does not do at
    once. What must happen at exit still does, in the interpreter's own order: threads'
    exit hooks and joins (Prefect's event and log workers drain to the API there), the atexit
    handlers (logging's flush, tempfile's folders), and flushing the output."""
    import atexit
    import threading

    if code is None:
        status = 0
    elif isinstance(code, int):
        status = code
    else:  # sys.exit("message"), as Python itself treats it
        print(code, file=sys.stderr)
        status = 1
    # What Py_FinalizeEx does before it tears modules down; os._exit would skip both.
    threading._shutdown()  # noqa: SLF001
    atexit._run_exitfuncs()  # noqa: SLF001
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):  # a closed pipe: nothing more to say
            pass
    os._exit(status)


if __name__ == "__main__":
    sys.exit(main())
