# Keras 3: literal-only constructor arguments are configured automatically — silent.
import os

os.environ["KERAS_BACKEND"] = "jax"
import keras


class Scale(keras.layers.Layer):
    def __init__(self, factor=2.0, name_hint="scale", **kwargs):
        super().__init__(**kwargs)
        self.factor = factor

    def call(self, x):
        return x * self.factor


inputs = keras.Input(shape=(4,))
model = keras.Model(inputs, Scale(3.0)(inputs))
model.save("scale.keras")
