# Keras 3 path checks follow the path through local names, str()/Path() and `/` or os.path.join, and
# ModelCheckpoint callbacks returned by a helper function (a checkpoint saves the whole model).
import os
from pathlib import Path

os.environ["KERAS_BACKEND"] = "jax"
import keras


class Wrapper(keras.Model):  # expect: SMS204
    def __init__(self, inner):
        super().__init__()
        self.inner = inner

    def call(self, x):
        return self.inner(x)


def make_callbacks():
    return [keras.callbacks.ModelCheckpoint("best.keras", save_best_only=True)]


def train(output_dir, stage):
    model = Wrapper(keras.layers.Dense(2))
    model.compile(optimizer="adam", loss="mse")
    model.fit(x, y, callbacks=make_callbacks())
    best = Path(output_dir) / f"stage_{stage}_best.h5"
    model.save_weights(str(best))  # expect: SMS103
    name = f"stage_{stage}.h5"
    local = os.path.join(output_dir, "checkpoints", name)
    model.save_weights(local)  # expect: SMS103
    fine = os.path.join(output_dir, f"stage_{stage}.weights.h5")
    model.save_weights(fine)
    model.save_weights(str(Path(output_dir) / "final.weights.h5"))
