# A trainer class whose model attribute is built Functional-style (keras.Model(inputs, outputs)) or comes from a
# Sequential: HDF5 saves those fine, from any method.
import tensorflow as tf


class Trainer:
    def __init__(self):
        inputs = tf.keras.Input(shape=(4,))
        self.model = tf.keras.Model(inputs, tf.keras.layers.Dense(1)(inputs))
        self.seq = tf.keras.Sequential([tf.keras.Input(shape=(4,)), tf.keras.layers.Dense(1)])

    def train(self, x, y):
        self.model.fit(x, y, callbacks=[tf.keras.callbacks.ModelCheckpoint("best.h5")])
        self.seq.save("seq.h5")
