"""One settings object for a run, from the command line to each stage.

``RunSettings`` nests each stage's own options (``SourceOptions``, ``AsrOptions``,
``DiarizeOptions``, ``FixOptions``). The CLI builds its options from ``CLI_OPTIONS`` below
(``run`` and ``batch`` alike), both flows take a ``RunSettings`` as their parameter, run.json
records it in full, and each stage's cache key hashes only its own part.
"""

from __future__ import annotations

import dataclasses
import json
from dataclasses import dataclass, field
from typing import Any

from align.options import FixOptions
from asr import AsrOptions
from diarize import DiarizeOptions
from source.options import SourceOptions


@dataclass(frozen=True)
class RunSettings:
    """Everything that changes a run's results. Never holds a secret: a hub token is named by
    the environment variable it is read from (``diarize.hf_token_env``)."""

    source: SourceOptions = field(default_factory=SourceOptions)
    asr: AsrOptions = field(default_factory=AsrOptions)
    # The ASR's ``auto`` device and diarization's are resolved by one rule (retranscribe.devices).
    diarize: DiarizeOptions = field(default_factory=lambda: DiarizeOptions(device="auto"))
    fix: FixOptions = field(default_factory=FixOptions)

    def to_dict(self) -> dict[str, Any]:
        data = {
            "source": dataclasses.asdict(self.source),
            "asr": dataclasses.asdict(self.asr),
            "diarize": dataclasses.asdict(self.diarize),
            "fix": dataclasses.asdict(self.fix),
        }
        data["diarize"].pop("hf_token", None)
        data["asr"]["hotwords"] = list(self.asr.hotwords)
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any] | None) -> RunSettings:
        data = data or {}
        unknown = set(data) - {"source", "asr", "diarize", "fix"}
        if unknown:
            raise ValueError(f"unknown settings section(s): {', '.join(sorted(unknown))}")
        defaults = cls()
        return cls(
            source=_build(SourceOptions, defaults.source, data.get("source")),
            asr=_build(AsrOptions, defaults.asr, data.get("asr")),
            diarize=_build(DiarizeOptions, defaults.diarize, data.get("diarize")),
            fix=_build(FixOptions, defaults.fix, data.get("fix")),
        )

    def with_values(self, values: dict[str, Any]) -> RunSettings:
        """A copy with ``{"asr.model": "tiny.en", ...}`` applied (dotted section.field paths)."""
        sections: dict[str, dict[str, Any]] = {}
        for path, value in values.items():
            section, _, name = path.partition(".")
            options = getattr(self, section, None)
            if options is None or name not in {f.name for f in dataclasses.fields(options)}:
                raise ValueError(f"unknown setting {path!r}")
            sections.setdefault(section, {})[name] = value
        return dataclasses.replace(
            self, **{section: dataclasses.replace(getattr(self, section), **changes) for section, changes in sections.items()}
        )

    def digest_of(self, section: str) -> str:
        """The JSON of one section, as stage cache keys hash it (sorted, stable)."""
        return json.dumps(self.to_dict()[section], sort_keys=True, default=str)


def _build(kind, default, values: dict[str, Any] | None):
    if values is None:
        return default
    if dataclasses.is_dataclass(values):
        return values
    names = {f.name for f in dataclasses.fields(kind)}
    unknown = set(values) - names
    if unknown:
        raise ValueError(f"unknown {kind.__name__} field(s): {', '.join(sorted(unknown))}")
    return dataclasses.replace(default, **values)


def parse_override(text: str) -> tuple[str, Any]:
    """``asr.window_padding=0.5`` -> ("asr.window_padding", 0.5): the value is read as JSON
    when it parses (numbers, true/false, null, lists), else taken as a string."""
    path, sep, raw = text.partition("=")
    if not sep or "." not in path:
        raise ValueError(f"--set takes section.field=value (e.g. fix.fix_margin=6), not {text!r}")
    try:
        value = json.loads(raw)
    except json.JSONDecodeError:
        value = raw
    if isinstance(value, list):
        value = tuple(value)
    return path.strip(), value


@dataclass(frozen=True)
class CliOption:
    """One command-line option and the setting(s) it sets."""

    name: str  # the option is --name with _ as -
    paths: tuple[str, ...]
    kind: type
    help: str
    optional: bool = False


# The options `run` and `batch` share; every other field is reachable with --set.
CLI_OPTIONS: tuple[CliOption, ...] = (
    CliOption("model", ("asr.model",), str, "Whisper model: base, tiny.en (embedded), a local folder or a hub name."),
    CliOption("device", ("asr.device", "diarize.device"), str, "auto, cpu or cuda (every stage)."),
    CliOption("beam_size", ("asr.beam_size",), int, "Whisper's beam width; 1 (greedy) is faster on a CPU."),
    CliOption("num_speakers", ("diarize.num_speakers",), int, "Exact number of speakers, if known.", optional=True),
    CliOption("min_speakers", ("diarize.min_speakers",), int, "Fewest speakers to find.", optional=True),
    CliOption("max_speakers", ("diarize.max_speakers",), int, "Most speakers to find.", optional=True),
    CliOption(
        "diarization_pipeline",
        ("diarize.pipeline",),
        str,
        "pyannote hub pipeline (e.g. pyannote/speaker-diarization-community-1) instead of the embedded offline one.",
    ),
    CliOption(
        "hf_token_env",
        ("diarize.hf_token_env",),
        str,
        "Name of the environment variable that holds a Hugging Face token (never the token itself).",
        optional=True,
    ),
    CliOption("language", ("source.caption_language",), str, "Caption language to pick when downloading."),
    CliOption("allow_file_urls", ("source.allow_file_urls",), bool, "Let yt-dlp open file:// URLs."),
    CliOption("repair_gaps", ("fix.repair_gaps",), bool, "Re-decode caption runs the ASR heard nothing of."),
)


def cli_default(option: CliOption, settings: RunSettings | None = None) -> Any:
    settings = settings or RunSettings()
    section, _, name = option.paths[0].partition(".")
    return getattr(getattr(settings, section), name)


def settings_from_cli(values: dict[str, Any], overrides: list[str] | tuple[str, ...] = ()) -> RunSettings:
    """The settings the command line asks for: ``values`` by option name, then ``--set``s."""
    changes: dict[str, Any] = {}
    for option in CLI_OPTIONS:
        if option.name in values:
            for path in option.paths:
                changes[path] = values[option.name]
    for text in overrides:
        path, value = parse_override(text)
        changes[path] = value
    return RunSettings().with_values(changes)


__all__ = ["CLI_OPTIONS", "CliOption", "RunSettings", "cli_default", "parse_override", "settings_from_cli"]
