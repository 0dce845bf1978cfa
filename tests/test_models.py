"""Model resolution: embedded models from packages, the cache, and the offline error."""

from __future__ import annotations

import pytest

from retranscribe import models


@pytest.fixture()
def fresh_cache(tmp_path, monkeypatch):
    monkeypatch.setenv("RETRANSCRIBE_CACHE_DIR", str(tmp_path))
    models.resolve_embedded.cache_clear()
    yield tmp_path
    models.resolve_embedded.cache_clear()


def test_every_embedded_model_resolves_and_verifies(fresh_cache):
    for model in models.EMBEDDED_MODELS:
        folder = models.resolve_embedded(model.name)
        assert folder.parent == fresh_cache / "models"
        assert models.verify_embedded(model.name) == {f.name: True for f in model.files}


def test_base_model_is_assembled_from_two_packages(fresh_cache):
    folder = models.resolve_embedded("base")
    sizes = [models._package_file(d, p).stat().st_size for d, p in models.embedded_model("base").files[-1].parts]
    assert (folder / "model.bin").stat().st_size == sum(sizes)


def test_aliases_resolve_to_the_same_model():
    assert models.embedded_model("pyannote/segmentation-3.0").name == "segmentation-3.0"
    assert models.embedded_model("cam++").name == "campplus"


def test_cached_model_is_reused_and_a_corrupted_file_is_rebuilt(fresh_cache):
    folder = models.resolve_embedded("tiny.en")
    config = folder / "config.json"
    mtime = config.stat().st_mtime_ns
    models.resolve_embedded.cache_clear()
    assert models.resolve_embedded("tiny.en") == folder
    assert config.stat().st_mtime_ns == mtime  # verified stamp: not copied again

    config.write_text("{}")  # a damaged cache entry must never be trusted
    models.resolve_embedded.cache_clear()
    models.resolve_embedded("tiny.en")
    assert models.sha256_file(config) == models.embedded_model("tiny.en").files[0].sha256


def test_faster_whisper_loads_the_embedded_model():
    from faster_whisper import WhisperModel

    model = WhisperModel(models.resolve_whisper("tiny.en"), device="cpu", compute_type="int8")
    assert not model.model.is_multilingual


def test_unknown_model_offline_names_what_to_do(monkeypatch):
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    with pytest.raises(models.ModelError) as error:
        models.resolve_whisper("large-v3")
    message = str(error.value)
    assert "large-v3" in message and "tiny.en, base" in message


def test_models_command_verifies_hashes():
    from typer.testing import CliRunner

    from flows.cli import app

    result = CliRunner().invoke(app, ["models"])
    assert result.exit_code == 0, result.output
    assert result.output.count("ok") >= len(models.EMBEDDED_MODELS)
    path = CliRunner().invoke(app, ["models", "path", "base"])
    assert path.exit_code == 0 and path.output.strip().endswith("base")


def test_base_tokenizer_is_whispers_bpe_with_its_first_merge(fresh_cache):
    # The packaged tokenizer.json lacks the first merge (a space, then "t"): " the" came out
    # as " " + "the". Ids from OpenAI's multilingual.tiktoken (openai-whisper 20250625).
    from tokenizers import Tokenizer

    folder = models.resolve_embedded("base")
    tokenizer = Tokenizer.from_file(str(folder / "tokenizer.json"))
    assert tokenizer.encode(" the", add_special_tokens=False).ids == [264]
    assert tokenizer.encode(" to the", add_special_tokens=False).ids == [281, 264]
    assert len(tokenizer.encode(" that they", add_special_tokens=False).ids) == 2

    # A cache that holds the packaged bytes under their own old stamp is repaired, not trusted.
    spec = next(f for f in models.embedded_model("base").files if f.name == "tokenizer.json")
    packaged = models._package_file(*spec.parts[0]).read_bytes()
    (folder / "tokenizer.json").write_bytes(packaged)
    models.resolve_embedded.cache_clear()
    models.resolve_embedded("base")
    assert models.sha256_file(folder / "tokenizer.json") == spec.sha256
