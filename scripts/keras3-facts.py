#!/usr/bin/env python3
"""Checks the Keras 3 behaviour the Python rules rely on, by running Keras (not part of the test suite:
Keras is not a dependency; run it where `import keras` works, e.g. `KERAS_BACKEND=jax python3 scripts/keras3-facts.py`).
Each fact is (rule, what is done, whether Keras 3 must raise). Exits 1 if Keras disagrees with a fact."""
import os
import subprocess
import sys
import tempfile

os.environ.setdefault("KERAS_BACKEND", "jax")
import keras  # noqa: E402
import numpy as np  # noqa: E402


def dense_model():
    return keras.Sequential([keras.Input((3,)), keras.layers.Dense(1)])


class Required(keras.Model):
    def __init__(self, units):
        super().__init__()
        self.d = keras.layers.Dense(units)

    def call(self, x):
        return self.d(x)


class Plain(keras.layers.Layer):
    def __init__(self, units, **kwargs):
        super().__init__(**kwargs)
        self.units = units

    def call(self, x):
        return x


class WithFunction(keras.layers.Layer):
    def __init__(self, fn, **kwargs):
        super().__init__(**kwargs)
        self.fn = fn

    def call(self, x):
        return self.fn(x)


def functional(layer):
    inputs = keras.Input((3,))
    return keras.Model(inputs, layer(inputs))


def called(model):
    model(np.ones((1, 3)))
    return model


def load_elsewhere(path):
    """Loads `path` in a fresh process that defines nothing (a serving script). The custom names must not
    be Keras built-ins: a function named `huber` silently resolves to keras.losses.huber."""
    code = f"import keras\nkeras.models.load_model({path!r})\n"
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env={**os.environ})
    if r.returncode != 0:
        raise RuntimeError(r.stderr.strip().splitlines()[-1])


def my_abs_loss(y, p):
    return keras.ops.mean(keras.ops.abs(y - p))


def saved_with_custom_loss(path):
    m = dense_model()
    m.compile(optimizer="adam", loss=my_abs_loss)
    m.fit(np.ones((4, 3)), np.ones((4, 1)), verbose=0)
    m.save(path)
    return path


FACTS = [
    ("SMS103", "model.save('exported_model')", True, lambda d: dense_model().save(f"{d}/exported_model")),
    ("SMS103", "model.save('m.keras')", False, lambda d: dense_model().save(f"{d}/m.keras")),
    ("SMS103", "save_weights('w.h5')", True, lambda d: dense_model().save_weights(f"{d}/w.h5")),
    ("SMS103", "save_weights('w.weights.h5')", False, lambda d: dense_model().save_weights(f"{d}/w.weights.h5")),
    ("SMS103", "ModelCheckpoint('best_model')", True, lambda d: keras.callbacks.ModelCheckpoint(f"{d}/best_model")),
    ("SMS103", "ModelCheckpoint('w.h5', save_weights_only=True)", True, lambda d: keras.callbacks.ModelCheckpoint(f"{d}/w.h5", save_weights_only=True)),
    ("SMS204", "Model subclass with a required argument saved to .keras", True, lambda d: called(Required(2)).save(f"{d}/r.keras")),
    ("SMS204", "layer with a plain-value argument saved to .keras", False, lambda d: functional(Plain(2)).save(f"{d}/p.keras")),
    ("SMS204", "layer given a function saved to .keras", True, lambda d: functional(WithFunction(keras.activations.relu)).save(f"{d}/f.keras")),
    ("SMS201", "custom loss, .keras loaded by another process without custom_objects", True, lambda d: load_elsewhere(saved_with_custom_loss(f"{d}/l.keras"))),
    ("SMS201", "custom loss, .h5 loaded by another process without custom_objects", True, lambda d: load_elsewhere(saved_with_custom_loss(f"{d}/l.h5"))),
]


def main():
    wrong = 0
    print(f"Keras {keras.__version__}, backend {keras.backend.backend()}")
    for code, what, raises, run in FACTS:
        with tempfile.TemporaryDirectory() as d:
            try:
                run(d)
                got, detail = False, ""
            except Exception as e:  # the fact is whether Keras raises
                got, detail = True, f"{type(e).__name__}: {str(e).splitlines()[0][:90] if str(e) else ''}"
        ok = got == raises
        wrong += not ok
        print(f"{'ok ' if ok else 'BAD'} {code} {what}: {'raises' if got else 'works'} {detail}")
    sys.exit(1 if wrong else 0)


if __name__ == "__main__":
    main()
