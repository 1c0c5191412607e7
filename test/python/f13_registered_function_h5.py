# A registered function is found by its registered name: silent.
import tensorflow as tf


@tf.keras.utils.register_keras_serializable(package="losses")
def huber_fn(y_true, y_pred):
    return tf.reduce_mean(tf.square(y_true - y_pred))


model = tf.keras.Sequential([tf.keras.layers.Dense(1, input_shape=[8])])
model.compile(loss=huber_fn, optimizer="sgd")
model.save("huber_reg.h5")
reloaded = tf.keras.models.load_model("huber_reg.h5")
