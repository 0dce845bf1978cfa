"""CAM++ under ONNX Runtime: the same network, ~1.6x faster on one CPU thread.

The ONNX file is built from the embedded checkpoint on first use (``torch.onnx.export``, which
needs the ``onnx`` package), checked against the torch network on random fbank of three
lengths, and kept in the user cache next to its sha256; a later process verifies the sha256
before it loads the file. Anything that fails here leaves the caller on the torch network.
"""

from __future__ import annotations

import hashlib
import logging
import os
import tempfile
from pathlib import Path

import numpy as np
import torch

from diarize.campplus import CAMPlusPlus

log = logging.getLogger(__name__)

# Bump when the exported graph changes (network code, export settings).
EXPORT_VERSION = 1
# Largest |onnx - torch| accepted on the check inputs; measured ~1e-5 on 192-dim outputs.
TOLERANCE = 1e-3


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _onnx_path(checkpoint: Path) -> Path:
    from retranscribe.models import cache_root

    # The embedded checkpoint is sha256-checked by retranscribe.models; its name and size
    # plus the torch version identify the export.
    stat = checkpoint.stat()
    key = hashlib.sha256(f"{checkpoint.name}:{stat.st_size}:{torch.__version__}:{EXPORT_VERSION}".encode()).hexdigest()
    return cache_root() / "onnx" / f"campplus-{key[:16]}.onnx"


def _export(network: CAMPlusPlus, target: Path) -> None:
    import warnings

    target.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(suffix=".onnx", dir=target.parent)
    os.close(handle)
    try:
        with warnings.catch_warnings(), torch.inference_mode(False), torch.no_grad():
            warnings.simplefilter("ignore")
            torch.onnx.export(
                network,
                (torch.randn(1, 600, 80),),
                temporary,
                input_names=["feats"],
                output_names=["embedding"],
                dynamic_axes={"feats": {0: "batch", 1: "frames"}, "embedding": {0: "batch"}},
                opset_version=17,
                dynamo=False,
            )
        os.replace(temporary, target)
    finally:
        if os.path.exists(temporary):
            os.unlink(temporary)


def _session(path: Path, threads: int | None):
    import onnxruntime

    options = onnxruntime.SessionOptions()
    options.intra_op_num_threads = threads or 0
    options.inter_op_num_threads = 1
    options.log_severity_level = 3
    return onnxruntime.InferenceSession(str(path), options, providers=["CPUExecutionProvider"])


def _agrees(session, network: CAMPlusPlus) -> bool:
    generator = torch.Generator().manual_seed(0)
    with torch.inference_mode():
        for frames in (41, 517, 998):
            feats = torch.randn(1, frames, 80, generator=generator)
            expected = network(feats).numpy()
            got = session.run(None, {"feats": feats.numpy()})[0]
            if not np.allclose(got, expected, atol=TOLERANCE, rtol=0):
                return False
    return True


def campplus_session(network: CAMPlusPlus, checkpoint: str | Path, threads: int | None = 1):
    """An ONNX Runtime session computing ``network`` (built from ``checkpoint``), or None."""
    checkpoint = Path(checkpoint)
    try:
        path = _onnx_path(checkpoint)
        digest_file = path.with_suffix(".onnx.sha256")
        if path.is_file() and digest_file.is_file() and digest_file.read_text().strip() == _sha256(path):
            return _session(path, threads)
        _export(network, path)
        session = _session(path, threads)
        if not _agrees(session, network):
            log.warning("CAM++ ONNX export disagrees with the torch network; using torch")
            path.unlink(missing_ok=True)
            return None
        digest_file.write_text(_sha256(path) + "\n")
        return session
    except Exception as error:  # onnx not installed, export or runtime failure: torch still works
        log.warning("CAM++ under ONNX Runtime unavailable (%s: %s); using torch", type(error).__name__, error)
        return None
