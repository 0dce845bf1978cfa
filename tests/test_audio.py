"""Audio read span by span (retranscribe.audio) and long recordings transcribed in windows:
memory stays flat in the recording's length and the words are the same."""

from __future__ import annotations

import numpy as np
import pytest
import soundfile as sf

from retranscribe.audio import SAMPLE_RATE, AudioError, AudioFile, load_audio, open_audio, read_span, windows_of


@pytest.fixture(scope="module")
def broadcast_file(samples) -> AudioFile:
    return AudioFile(samples / "broadcast.wav")


def test_a_span_read_from_disk_equals_the_decoded_samples(broadcast_file, samples):
    whole = load_audio(samples / "broadcast.wav")
    assert broadcast_file.duration == pytest.approx(len(whole) / SAMPLE_RATE)
    for start, end in ((0.0, 1.0), (37.25, 61.5), (160.0, 999.0)):
        span = broadcast_file.read(start, end)
        expected = whole[int(round(start * SAMPLE_RATE)) : int(round(end * SAMPLE_RATE))]
        assert span.dtype == np.float32 and np.allclose(span, expected, atol=1e-4)
        assert np.array_equal(read_span(whole, start, end), expected)


def test_other_formats_are_decoded_and_bad_files_refused(tmp_path, samples):
    stereo = tmp_path / "stereo-44k.wav"
    audio, _ = sf.read(samples / "broadcast.wav", dtype="float32")
    sf.write(stereo, np.stack([audio[: 44100 * 3]] * 2, axis=1), 44100)  # 3 s of 44.1 kHz stereo
    decoded = open_audio(stereo)
    assert isinstance(decoded, np.ndarray) and len(decoded) == pytest.approx(3 * SAMPLE_RATE, abs=SAMPLE_RATE * 0.01)
    (tmp_path / "text.wav").write_text("not audio\n" * 20)
    with pytest.raises(AudioError, match="text.wav"):
        open_audio(tmp_path / "text.wav")


def test_windows_cover_the_recording_and_cut_in_pauses(broadcast_file):
    windows = windows_of(broadcast_file, 40.0, search=10.0)
    assert windows[0][0] == 0.0 and windows[-1][1] == pytest.approx(broadcast_file.duration)
    assert all(a[1] == b[0] for a, b in zip(windows, windows[1:]))
    assert all(0 < end - start <= 40.0 for start, end in windows)
    whole = broadcast_file.read()
    loudness = np.sqrt(np.median(whole.astype(np.float64) ** 2))
    for _, cut in windows[:-1]:
        around = broadcast_file.read(cut - 0.1, cut + 0.1)
        assert np.sqrt(np.mean(around.astype(np.float64) ** 2)) < 0.2 * loudness, cut


@pytest.mark.slow
def test_a_recording_longer_than_a_window_is_transcribed_whole(broadcast_file, reference_turns):
    from asr import AsrOptions, transcribe
    from retranscribe.wer import wer

    truth = " ".join(turn["text"] for turn in reference_turns)
    one_window = transcribe(broadcast_file, AsrOptions(model="tiny.en"))
    windowed = transcribe(broadcast_file, AsrOptions(model="tiny.en", window_seconds=60.0))
    words = [w for s in windowed.segments for w in s.words]
    assert [w.start for w in words] == sorted(w.start for w in words)
    assert words[-1].end > broadcast_file.duration - 10
    # Cutting at pauses costs at most a few words at each of the two cuts. Measured against the
    # truth, not against the one-window run: on an Intel Xeon with AVX-512, tiny.en's single
    # pass skips the 22 s telephone soundbite that the windowed run transcribes.
    assert wer(truth, windowed.text) < wer(truth, one_window.text) + 0.03
