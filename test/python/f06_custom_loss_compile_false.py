# corpus-setting: kerasVersion=3
# Keras 3 resolves only registered or passed classes (keras/src/saving/serialization_lib.py, _retrieve_class_or_fn).
import tensorflow as tf


class FocalLoss(tf.keras.losses.Loss):
    def call(self, y_true, y_pred):
        return tf.reduce_mean(tf.square(y_true - y_pred))


model = tf.keras.Sequential([tf.keras.Input(shape=(3,)), tf.keras.layers.Dense(1)])
model.compile(optimizer="adam", loss=FocalLoss())
model.save("focal.keras")
inference_only = tf.keras.models.load_model("focal.keras", compile=False)
needs_loss = tf.keras.models.load_model("focal.keras")  # expect: SMS201
