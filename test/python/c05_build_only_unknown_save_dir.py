# Unknown Keras version: save("dir") after build() alone fails in both versions.
import tensorflow as tf


class Encoder(tf.keras.Model):
    def __init__(self):
        super().__init__()
        self.d = tf.keras.layers.Dense(16)

    def call(self, x):
        return self.d(x)


encoder = Encoder()
encoder.build((None, 32))
encoder.load_weights("encoder.weights.h5")
encoder.save("encoder_dir")  # expect: SMS102
