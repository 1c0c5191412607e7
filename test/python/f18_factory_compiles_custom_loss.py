# A model factory compiles with custom losses (one of the file, one defined inside the factory) and uses a
# custom layer; the notebook saves the factory's model to .h5 and reloads it from Kaggle's working
# directory ("m.h5" and "/kaggle/working/m.h5" are the same file). Both versions look the objects up by name.
import tensorflow as tf
from tensorflow.keras import layers


class Scale(layers.Layer):
    def call(self, x):
        return 2.0 * x


def dice_loss(y_true, y_pred):
    return 1 - tf.reduce_mean(y_true * y_pred)


def build_model():
    def combined_loss(y_true, y_pred):
        return dice_loss(y_true, y_pred) + tf.reduce_mean(tf.abs(y_true - y_pred))

    inp = layers.Input((32, 32, 3))
    out = Scale()(layers.Conv2D(1, 3, padding="same", activation="sigmoid")(inp))
    model = tf.keras.Model(inp, out)
    model.compile(optimizer="adam", loss=combined_loss, metrics=[dice_loss])
    return model


def build_plain():
    inp = layers.Input((4,))
    model = tf.keras.Model(inp, layers.Dense(1)(inp))
    model.compile(optimizer="adam", loss="mse")
    return model


model = build_model()
model.fit(x, y)
model.save("unet.h5")
reloaded = tf.keras.models.load_model("/kaggle/working/unet.h5")  # expect: SMS201
no_compile = tf.keras.models.load_model("unet.h5", compile=False)  # expect: SMS201

plain = build_plain()
plain.fit(x2, y2)
plain.save("plain.h5")
again = tf.keras.models.load_model("plain.h5")
