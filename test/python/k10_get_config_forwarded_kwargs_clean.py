# The constructor forwards its **kwargs to the base class (name, trainable, dtype): nothing of the caller's is kept
# outside the base config, so there is nothing get_config could miss.
import tensorflow as tf


class Scale(tf.keras.layers.Layer):
    def __init__(self, **kwargs):
        super().__init__(**kwargs)

    def call(self, x):
        return x * 2.0


inputs = tf.keras.Input(shape=(3,))
model = tf.keras.Model(inputs, Scale(name="scale", dtype=tf.float32)(inputs))
model.save("scale.keras")
