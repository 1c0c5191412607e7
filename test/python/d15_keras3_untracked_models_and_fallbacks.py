# Keras 3 (KERAS_BACKEND=jax): save_format="tf" fails on any model, also one the file gets from a helper; a model
# read from an attribute is a model when the file fits it; a path ending in a number (f"{n:03d}",
# str(n).zfill(16)), lower-cased or not, has no .keras. A fallback save in an except clause runs only when
# the first save failed: not reported.
import os

os.environ["KERAS_BACKEND"] = "jax"
import keras


def load_spec(path):
    with open(path) as f:
        return keras.models.model_from_json(f.read())


def export(name):
    model = load_spec(name)
    model.save(f"exports/{name}_savedmodel", save_format="tf")  # expect: SMS103


class Builder:
    def __init__(self):
        self.materialized = keras.Sequential([keras.Input((4,)), keras.layers.Dense(1)])


def trial(builder, data, number):
    net = builder.materialized
    net.compile(optimizer="adam", loss="mse")
    net.fit(data)
    net.save(f"models/tr_{str(number).zfill(16)}".lower())  # expect: SMS103
    net.save(f"models/epoch_{number:03d}")  # expect: SMS103
    net.save(f"models/{number}")
    try:
        net.save("final.keras")
    except Exception:
        net.save_weights("final.h5")


class Exporter:
    def __init__(self, model):
        self.model = model

    def run(self):
        self.model.save("exports/latest", save_format="tf")  # expect: SMS103
        self.model.export("exports/serving")
