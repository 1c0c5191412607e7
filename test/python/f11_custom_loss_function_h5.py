# A custom loss function given to compile, saved to .h5 and loaded without custom_objects:
# both versions look the loss up by name ("Unknown loss function: 'huber_fn'").
import tensorflow as tf
from tensorflow import keras


def huber_fn(y_true, y_pred):
    error = y_true - y_pred
    small = tf.abs(error) < 1
    return tf.where(small, tf.square(error) / 2, tf.abs(error) - 0.5)


model = keras.Sequential([keras.layers.Dense(1, input_shape=[8])])
model.compile(loss=huber_fn, optimizer="nadam")
model.fit(x_train, y_train, epochs=2)
model.save("huber.h5")
reloaded = keras.models.load_model("huber.h5")  # expect: SMS201
inference = keras.models.load_model("huber.h5", compile=False)
provided = keras.models.load_model("huber.h5", custom_objects={"huber_fn": huber_fn})
