# Unknown version, .keras file after build(): config + weights, fine in both versions.
import tensorflow as tf


class Head(tf.keras.Model):
    def __init__(self):
        super().__init__()
        self.d = tf.keras.layers.Dense(2)

    def call(self, x):
        return self.d(x)


head = Head()
head.build((None, 4))
head.save("head.keras")
