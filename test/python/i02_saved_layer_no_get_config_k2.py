# Scale(2.0): a plain value, recorded automatically by tf.keras from 2.11 (and by Keras 3): saves fine.
# corpus-setting: kerasVersion=2
import tensorflow as tf


class Scale(tf.keras.layers.Layer):
    def __init__(self, factor, **kwargs):
        super().__init__(**kwargs)
        self.factor = factor

    def call(self, x):
        return x * self.factor


inputs = tf.keras.Input(shape=(4,))
model = tf.keras.Model(inputs, Scale(2.0)(inputs))
model.save("scale.h5")
