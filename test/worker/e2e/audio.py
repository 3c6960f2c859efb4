#!/usr/bin/env python3
"""Audio and text helpers for the evaluation worker's end-to-end test
(test/worker/e2e/run.sh) and benchmark B7 (test/bench/b7.sh). Standard
library only.

  audio.py duration FILE.wav               the file's length in seconds (from its header)
  audio.py speech FILE.wav [THRESHOLD_S]   JSON: duration_s, span_s (first to last voiced
                                           frame), speaking_s (span minus pauses of at least
                                           THRESHOLD_S, default 0.5), pauses, longest_pause_s
  audio.py silence FILE.wav SECONDS        write SECONDS of digital silence (16 kHz mono s16)
  audio.py raw2wav IN.raw OUT.wav [RATE]   wrap headerless mono s16le samples (default 16000 Hz)
  audio.py concat OUT.wav IN.wav...        join wav files of one format
  audio.py words TEXT                      the number of words in TEXT (see normalize)
  audio.py wer REFERENCE HYPOTHESIS        JSON: wer, substitutions, deletions, insertions,
                                           reference_words, hypothesis_words

Speaking time is measured independently of the worker: 10 ms frames, a frame is
voiced when its RMS is above 2% of the loudest frame's, and a run of unvoiced
frames of at least THRESHOLD_S inside the voiced span is a pause.
"""
import array
import json
import math
import re
import sys
import wave


def read_samples(path):
    with wave.open(path, "rb") as w:
        if w.getsampwidth() != 2:
            raise SystemExit(f"{path}: only 16-bit PCM wav files are supported")
        rate, channels, n = w.getframerate(), w.getnchannels(), w.getnframes()
        samples = array.array("h", w.readframes(n))
    if sys.byteorder == "big":
        samples.byteswap()
    if channels > 1:  # the first channel is enough for voice activity
        samples = samples[::channels]
    return rate, n, samples


def duration(path):
    with wave.open(path, "rb") as w:
        return w.getnframes() / w.getframerate()


def speech(path, threshold_s=0.5, frame_ms=10):
    rate, n, samples = read_samples(path)
    frame = max(1, rate * frame_ms // 1000)
    rms = []
    for i in range(0, len(samples), frame):
        chunk = samples[i:i + frame]
        rms.append(math.sqrt(sum(x * x for x in chunk) / len(chunk)))
    peak = max(rms, default=0.0)
    voiced = [peak > 0 and r > peak * 0.02 for r in rms]
    total = n / rate
    if not any(voiced):
        return {"duration_s": total, "span_s": 0.0, "speaking_s": 0.0, "pauses": 0, "longest_pause_s": 0.0}
    first = voiced.index(True)
    last = len(voiced) - 1 - voiced[::-1].index(True)
    pauses, run = [], 0
    for v in voiced[first:last + 1]:
        if v:
            if run * frame_ms / 1000 >= threshold_s:
                pauses.append(run * frame_ms / 1000)
            run = 0
        else:
            run += 1
    span = (last - first + 1) * frame_ms / 1000
    return {"duration_s": round(total, 3), "span_s": round(span, 3), "speaking_s": round(span - sum(pauses), 3),
            "pauses": len(pauses), "longest_pause_s": round(max(pauses, default=0.0), 3)}


def write_wav(path, rate, samples):
    with wave.open(path, "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(rate)
        w.writeframes(samples.tobytes() if isinstance(samples, array.array) else samples)


# Abbreviations a recognizer writes for what a reference spells out.
SPOKEN = {"mr": "mister", "mrs": "missus", "dr": "doctor", "ok": "okay"}


def normalize(text):
    """Lower case words; punctuation dropped, apostrophes and hyphens inside words kept."""
    text = text.lower().replace("\u2019", "'")
    text = re.sub(r"<[^>]*>", " ", text)          # <s>, </s>, <sil> markers
    text = re.sub(r"\([0-9]+\)", " ", text)        # pronunciation variants: word(2)
    words = re.findall(r"[a-z0-9]+(?:['-][a-z0-9]+)*", text)
    return [SPOKEN.get(w, w) for w in words]


def wer(reference, hypothesis):
    ref, hyp = normalize(reference), normalize(hypothesis)
    # Levenshtein over words, keeping the kind of each edit
    prev = [(j, 0, 0, j) for j in range(len(hyp) + 1)]  # (cost, subs, dels, ins)
    for i in range(1, len(ref) + 1):
        cur = [(i, 0, i, 0)]
        for j in range(1, len(hyp) + 1):
            if ref[i - 1] == hyp[j - 1]:
                best = prev[j - 1]
            else:
                s, d, n = prev[j - 1], prev[j], cur[j - 1]
                best = min((s[0] + 1, s[1] + 1, s[2], s[3]),
                           (d[0] + 1, d[1], d[2] + 1, d[3]),
                           (n[0] + 1, n[1], n[2], n[3] + 1))
            cur.append(best)
        prev = cur
    cost, subs, dels, ins = prev[-1]
    return {"wer": round(cost / max(1, len(ref)), 4), "substitutions": subs, "deletions": dels,
            "insertions": ins, "reference_words": len(ref), "hypothesis_words": len(hyp)}


def main(argv):
    if len(argv) < 2:
        raise SystemExit(__doc__)
    cmd, args = argv[1], argv[2:]
    if cmd == "duration":
        print(f"{duration(args[0]):.3f}")
    elif cmd == "speech":
        print(json.dumps(speech(args[0], float(args[1]) if len(args) > 1 else 0.5)))
    elif cmd == "silence":
        rate = 16000
        write_wav(args[0], rate, bytes(2 * int(rate * float(args[1]))))
    elif cmd == "raw2wav":
        with open(args[0], "rb") as f:
            data = f.read()
        write_wav(args[1], int(args[2]) if len(args) > 2 else 16000, data[:len(data) // 2 * 2])
    elif cmd == "concat":
        out, params, frames = args[0], None, []
        for p in args[1:]:
            with wave.open(p, "rb") as w:
                if params and w.getparams()[:3] != params[:3]:
                    raise SystemExit(f"{p}: a different format from {args[1]}")
                params = w.getparams()
                frames.append(w.readframes(w.getnframes()))
        with wave.open(out, "wb") as w:
            w.setparams(params)
            w.writeframes(b"".join(frames))
    elif cmd == "words":
        print(len(normalize(" ".join(args))))
    elif cmd == "wer":
        print(json.dumps(wer(args[0], args[1])))
    else:
        raise SystemExit(__doc__)


if __name__ == "__main__":
    main(sys.argv)
