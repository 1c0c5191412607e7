# The VAE wraps the decoder, but the decoder is saved on its own: it holds only the custom layer it was built
# with, not the VAE class created after it. Loading the decoder needs Sampling only.
import tensorflow as tf
from tensorflow.keras import Model, layers


class Sampling(layers.Layer):
    def call(self, x):
        return x


class CVAE(Model):
    def __init__(self, decoder, **kwargs):
        super().__init__(**kwargs)
        self.decoder = decoder

    def call(self, z):
        return self.decoder(z)


def build_decoder():
    z = layers.Input((2,))
    return Model(z, layers.Dense(4)(Sampling()(z)), name="decoder")


decoder = build_decoder()
cvae = CVAE(decoder)
cvae.compile(optimizer="adam", loss="mse")
cvae.fit(x, x)
decoder.save("conditional_decoder.h5")
without = tf.keras.models.load_model("conditional_decoder.h5", compile=False)  # expect: SMS201
provided = tf.keras.models.load_model("conditional_decoder.h5", compile=False, custom_objects={"Sampling": Sampling})
