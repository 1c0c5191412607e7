# Unknown version: the constructor keeps its **kwargs as attributes (self.__dict__.update) and defines no
# get_config; the caller passes lists of layers. Keras 3 saves an empty config for a Model subclass and loading
# fails ("'VAE' object has no attribute 'enc'", checked with Keras 3.15.1); tf.keras (2.11+) captures the layers
# as constructor arguments, which are not plain values: fails in both.
import tensorflow as tf


class VAE(tf.keras.Model):  # expect: SMS204
    def __init__(self, **kwargs):
        super().__init__()
        self.__dict__.update(kwargs)
        self.enc = tf.keras.Sequential(self.enc)

    def call(self, x):
        return self.enc(x)


model = VAE(enc=[tf.keras.layers.Dense(4), tf.keras.layers.Dense(2)])
model(tf.zeros((1, 3)))
model.save("vae.keras")
