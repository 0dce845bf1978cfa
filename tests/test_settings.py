"""One settings object from the command line to the stages (flows.settings)."""

from __future__ import annotations

import json
import re

import pytest
from typer.testing import CliRunner

from flows.cli import app
from flows.settings import CLI_OPTIONS, RunSettings, settings_from_cli


def options_of(command: str) -> set[str]:
    result = CliRunner().invoke(app, [command, "--help"], env={"COLUMNS": "300", "NO_COLOR": "1", "TERM": "dumb"})
    assert result.exit_code == 0, result.output
    return set(re.findall(r"(--[a-z][a-z-]+)", result.output))


def test_run_and_batch_take_the_same_settings_options():
    run, batch = options_of("run"), options_of("batch")
    settings_flags = {"--" + o.name.replace("_", "-") for o in CLI_OPTIONS} | {"--set"}
    assert settings_flags <= run and settings_flags <= batch
    # What run has and batch lacks is per video (its captions and info come from the manifest).
    assert run - batch == {"--captions", "--info"}


def test_settings_round_trip_through_json_and_never_hold_the_token():
    settings = settings_from_cli(
        {"model": "tiny.en", "device": "cpu", "beam_size": 1, "hf_token_env": "MY_TOKEN", "num_speakers": 3},
        ["fix.fix_margin=6.5", "asr.vad_filter=false", "asr.hotwords=[\"Kim Jong Un\"]"],
    )
    assert settings.asr.model == "tiny.en" and settings.asr.device == settings.diarize.device == "cpu"
    assert settings.asr.beam_size == 1 and settings.diarize.num_speakers == 3
    assert settings.fix.fix_margin == 6.5 and settings.asr.vad_filter is False
    assert settings.asr.hotwords == ("Kim Jong Un",)
    data = json.loads(json.dumps(settings.to_dict()))
    assert "hf_token" not in data["diarize"] and data["diarize"]["hf_token_env"] == "MY_TOKEN"
    assert RunSettings.from_dict(data) == settings


@pytest.mark.parametrize(
    "values, overrides, says",
    [
        ({"beam_size": 0}, [], "beam_size"),
        ({"device": "tpu"}, [], "device"),
        ({}, ["asr.no_such_field=1"], "asr.no_such_field"),
        ({}, ["fix_margin=3"], "section.field=value"),
        ({}, ["fix.suspect_similarity=1.5"], "suspect_similarity"),
    ],
)
def test_bad_settings_are_refused_with_their_name(values, overrides, says):
    with pytest.raises(ValueError, match=re.escape(says)):
        settings_from_cli(values, overrides)


def test_bad_settings_on_the_command_line_are_one_line_errors(tmp_path):
    result = CliRunner().invoke(app, ["run", "nothing.wav", "--set", "asr.nope=1", "--out", str(tmp_path)])
    assert result.exit_code == 1
    assert "unknown setting 'asr.nope'" in result.output
