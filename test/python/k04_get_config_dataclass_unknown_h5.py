# Unknown version: a dataclass config object reaches the constructor; saved to .h5 — fails in both.
from dataclasses import dataclass

import tensorflow as tf


@dataclass
class HeadConfig:
    units: int = 4


class Head(tf.keras.layers.Layer):  # expect: SMS204
    def __init__(self, config, **kwargs):
        super().__init__(**kwargs)
        self.dense = tf.keras.layers.Dense(config.units)

    def call(self, x):
        return self.dense(x)


cfg = HeadConfig(units=8)
inputs = tf.keras.Input(shape=(3,))
model = tf.keras.Model(inputs, Head(cfg)(inputs))
model.save("head.h5")
