# tf.keras from 2.11 records a config automatically from plain constructor values, and nothing here passes
# anything else: no diagnostic (tf.keras before 2.11 raised for any argument).
# corpus-setting: kerasVersion=2
import tensorflow as tf


@tf.keras.utils.register_keras_serializable(package="blocks")
class Conv2Plus1D(tf.keras.layers.Layer):
    def __init__(self, filters, kernel_size, padding="same"):
        super().__init__()
        self.seq = tf.keras.Sequential([
            tf.keras.layers.Conv3D(filters, (1, kernel_size[1], kernel_size[2]), padding=padding),
            tf.keras.layers.Conv3D(filters, (kernel_size[0], 1, 1), padding=padding),
        ])

    def call(self, x):
        return self.seq(x)
