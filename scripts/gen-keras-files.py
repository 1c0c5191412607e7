#!/usr/bin/env python3
"""Writes the Keras model-file test fixtures under test/fixtures/keras-files/ with real Keras.

The files are committed so CI needs no Python and no Keras. Re-run in an environment with Keras 3 and h5py
(the committed files were written by Keras 3.15.1 on the jax backend):
    KERAS_BACKEND=jax python3 scripts/gen-keras-files.py

custom.keras / custom.h5: a Functional model with an unregistered layer (Gate), a registered one (shop>Reg),
a custom activation function (my_act), compiled with a custom loss (dice_loss, also a metric).
plain.keras / plain.h5: the same architecture with built-ins only (nothing custom).
"""
import os

os.environ.setdefault("KERAS_BACKEND", "jax")
import keras  # noqa: E402
import numpy as np  # noqa: E402

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "test", "fixtures", "keras-files")


def dice_loss(y, p):
    return keras.ops.mean((y - p) ** 2)


def my_act(x):
    return keras.ops.relu(x)


class Gate(keras.layers.Layer):
    def call(self, x):
        return x


@keras.saving.register_keras_serializable(package="shop")
class Reg(keras.layers.Layer):
    def call(self, x):
        return x


def build(custom):
    inp = keras.Input((4,))
    x = keras.layers.Dense(3, activation=my_act if custom else "relu")(inp)
    if custom:
        x = Reg()(Gate()(x))
    model = keras.Model(inp, keras.layers.Dense(1)(x))
    model.compile(loss=dice_loss if custom else "mse", metrics=["mae", "accuracy", dice_loss] if custom else ["mae", "accuracy"])
    model.fit(np.zeros((4, 4)), np.zeros((4, 1)), verbose=0)
    return model


for name, custom in (("custom", True), ("plain", False)):
    m = build(custom)
    for ext in ("keras", "h5"):
        m.save(os.path.join(OUT, f"{name}.{ext}"))
print("keras", keras.__version__)
