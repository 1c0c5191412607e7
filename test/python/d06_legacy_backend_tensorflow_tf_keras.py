# KERAS_BACKEND="tensorflow" with only tf.keras imported decides nothing: version stays unknown, no SMS103.
import os

os.environ["KERAS_BACKEND"] = "tensorflow"
import tensorflow as tf

model = tf.keras.Sequential([tf.keras.Input(shape=(3,)), tf.keras.layers.Dense(1)])
model.save("saved_dir")
