# Unknown version: a function reaches the constructor of a layer without get_config, saved to .keras.
# tf.keras raises for any __init__ argument; Keras 3 auto-configures only plain values: fails in both.
import tensorflow as tf


class MLPBlock(tf.keras.layers.Layer):  # expect: SMS204
    def __init__(self, units, activation_fn=tf.nn.gelu, **kwargs):
        super().__init__(**kwargs)
        self.dense = tf.keras.layers.Dense(units)
        self.activation_fn = activation_fn

    def call(self, x):
        return self.activation_fn(self.dense(x))


inputs = tf.keras.Input(shape=(16,))
model = tf.keras.Model(inputs, MLPBlock(32)(inputs))
model.save("mlp.keras")
