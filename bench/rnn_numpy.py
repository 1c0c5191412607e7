"""NumPy reference for the recurrent benchmarks (bench/rnn.ts): the same recurrence as the Keras
models kerasRnnModel builds (src/core/savedmodel/kerasRnn.ts), a plain loop over time steps with
per-step `x_t @ kernel`, `h @ recurrent_kernel`, bias, gates. Reads the weights and the input from
the .npy files bench/rnn.ts wrote into DIR and prints the output as one JSON line; then runs the
model once per line read from stdin, answering each with that run's time in ms (so the caller can
interleave these runs with its own: both see the same machine load).

usage: python3 rnn_numpy.py DIR
"""
import json
import sys
import time

import numpy as np


def sigmoid(x):
    return 1.0 / (1.0 + np.exp(-x))


def lstm(xs, k, rk, b):
    u = rk.shape[0]
    h = np.zeros((xs.shape[1], u), np.float32)
    c = np.zeros_like(h)
    out = []
    for x in xs:
        z = x @ k + h @ rk + b
        i, f, g, o = z[:, :u], z[:, u:2 * u], z[:, 2 * u:3 * u], z[:, 3 * u:]
        c = sigmoid(f) * c + sigmoid(i) * np.tanh(g)
        h = sigmoid(o) * np.tanh(c)
        out.append(h)
    return np.stack(out)


def gru(xs, k, rk, b):
    u = rk.shape[0]
    h = np.zeros((xs.shape[1], u), np.float32)
    out = []
    for x in xs:
        mx = x @ k + b[0]
        mi = h @ rk + b[1]
        z = sigmoid(mx[:, :u] + mi[:, :u])
        r = sigmoid(mx[:, u:2 * u] + mi[:, u:2 * u])
        hh = np.tanh(mx[:, 2 * u:] + r * mi[:, 2 * u:])
        h = z * h + (1 - z) * hh
        out.append(h)
    return np.stack(out)


def run(spec, arrays, x):
    seq = np.transpose(x, (1, 0, 2))  # time-major
    for li, layer in enumerate(spec["layers"]):
        outs = []
        for d, reverse in enumerate([False, True] if layer.get("bidirectional") else [False]):
            k, rk, b = (arrays[f"l{li}d{d}_{n}"] for n in ("kernel", "recurrent_kernel", "bias"))
            xs = seq[::-1] if reverse else seq
            outs.append((lstm if layer["cell"] == "lstm" else gru)(xs, k, rk, b))
        if li < len(spec["layers"]) - 1:
            seq = np.concatenate([outs[0]] + [o[::-1] for o in outs[1:]], axis=-1)
        else:
            last = np.concatenate([o[-1] for o in outs], axis=-1)
    return last @ arrays["dense"] + arrays["dense_bias"]


def main():
    folder = sys.argv[1]
    spec = json.load(open(f"{folder}/spec.json"))
    arrays = {name: np.load(f"{folder}/{name}.npy") for name in spec["arrays"]}
    x = np.load(f"{folder}/x.npy")
    print(json.dumps({"y": run(spec, arrays, x).ravel().tolist()}), flush=True)
    for _ in sys.stdin:
        t0 = time.perf_counter()
        run(spec, arrays, x)
        print((time.perf_counter() - t0) * 1000, flush=True)


main()
