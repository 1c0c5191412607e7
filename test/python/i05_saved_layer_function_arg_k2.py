# corpus-setting: kerasVersion=2
# A function is not a plain value: tf.keras records no automatic config, so saving to .h5 raises
# NotImplementedError ("... was created by passing non-serializable argument values in `__init__()`").
import tensorflow as tf


class Gated(tf.keras.layers.Layer):  # expect: SMS204
    def __init__(self, units, gate_fn, **kwargs):
        super().__init__(**kwargs)
        self.dense = tf.keras.layers.Dense(units)
        self.gate_fn = gate_fn

    def call(self, x):
        return self.gate_fn(self.dense(x))


inputs = tf.keras.Input(shape=(4,))
model = tf.keras.Model(inputs, Gated(3, tf.nn.sigmoid)(inputs))
model.save("gated.h5")
