# A notebook compiles its siamese model with its own triplet loss, saves the model and the plain base network
# it got back from the same factory (`model, base_network = make()`), and later reloads the base network: that
# file was written here by a save the flow walk does not follow, so it is not the compiled model and loads fine
# (from amiiin94/facerecognition-siamesenetwork training_model_4.ipynb, a false alarm on batch 13).
import tensorflow as tf
from tensorflow.keras.models import load_model


def triplet_loss(y_true, y_pred):
    return tf.reduce_mean(y_pred)


def make():
    base = tf.keras.Sequential([tf.keras.Input(shape=(8,)), tf.keras.layers.Dense(4)])
    model = tf.keras.Sequential([base])
    model.compile(optimizer="adam", loss=triplet_loss)
    return model, base


model, base_network = make()
model.compile(optimizer="adam", loss=triplet_loss)
model.fit(x, y, epochs=1)
model.save("siamese_model.h5")
base_network.save("base_network.h5")
base_network = load_model("base_network.h5")
