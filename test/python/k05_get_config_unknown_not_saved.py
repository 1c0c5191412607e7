# Unknown version, non-literal argument but nothing is saved to .keras/.h5: silent.
import numpy as np
import tensorflow as tf


class Lookup(tf.keras.layers.Layer):
    def __init__(self, table, **kwargs):
        super().__init__(**kwargs)
        self.table = tf.constant(table)

    def call(self, x):
        return tf.gather(self.table, x)


layer = Lookup(np.arange(10))
print(layer(tf.constant([1, 2])))
