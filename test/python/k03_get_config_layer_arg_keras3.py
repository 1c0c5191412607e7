# Keras 3: a layer passed to the constructor is not a plain value — get_config() raises at save.
import os

os.environ["KERAS_BACKEND"] = "torch"
import keras


class Residual(keras.layers.Layer):  # expect: SMS204
    def __init__(self, inner, **kwargs):
        super().__init__(**kwargs)
        self.inner = inner

    def call(self, x):
        return x + self.inner(x)


inputs = keras.Input(shape=(8,))
outputs = Residual(keras.layers.Dense(8))(inputs)
model = keras.Model(inputs, outputs)
model.save("residual.keras")
