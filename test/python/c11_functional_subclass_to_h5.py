# A Model subclass that only overrides train_step (no __init__, no call) is built as MaskedLM(inputs, outputs):
# a Functional graph network, which HDF5 saves in tf.keras (the keras.io masked-language-model example does
# exactly this). A subclass with call() and no __init__ is a subclassed model: HDF5 fails (SMS104).
import tensorflow as tf
from tensorflow import keras


class MaskedLM(keras.Model):
    def train_step(self, data):
        x, y = data
        with tf.GradientTape() as tape:
            loss = self.compiled_loss(y, self(x, training=True))
        self.optimizer.minimize(loss, self.trainable_variables, tape=tape)
        return {"loss": loss}


class Echo(keras.Model):
    def call(self, x):
        return x


def build():
    inputs = keras.Input(shape=(16,))
    outputs = keras.layers.Dense(4)(inputs)
    model = MaskedLM(inputs, outputs, name="masked_lm")
    model.compile(optimizer="adam", loss="mse")
    return model


lm = build()
lm.fit(tf.zeros((8, 16)), tf.zeros((8, 4)), epochs=1)
lm.save("masked_lm.h5")

echo = Echo()
echo(tf.zeros((1, 4)))
echo.save("echo.h5")  # expect: SMS104
