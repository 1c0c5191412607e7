# A custom activation function inside the model is needed even with compile=False.
import tensorflow as tf


def my_softplus(z):
    return tf.math.log(tf.exp(z) + 1.0)


model = tf.keras.Sequential([tf.keras.layers.Dense(1, activation=my_softplus, input_shape=[8])])
model.compile(loss="mse", optimizer="sgd")
model.save("softplus.h5")
reloaded = tf.keras.models.load_model("softplus.h5", compile=False)  # expect: SMS201
