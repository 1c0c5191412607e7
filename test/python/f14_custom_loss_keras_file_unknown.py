# Unknown version, .keras, same process: tf.keras imports __main__ and finds the function; only Keras 3
# fails, so nothing is reported.
import tensorflow as tf


def huber_fn(y_true, y_pred):
    return tf.reduce_mean(tf.square(y_true - y_pred))


model = tf.keras.Sequential([tf.keras.Input(shape=(8,)), tf.keras.layers.Dense(1)])
model.compile("sgd", huber_fn)
model.save("huber.keras")
reloaded = tf.keras.models.load_model("huber.keras")
