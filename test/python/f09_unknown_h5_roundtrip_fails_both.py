# Unknown version, .h5: both versions look the class up by name only ("Unknown layer: 'Scale'").
import tensorflow as tf


class Scale(tf.keras.layers.Layer):
    def call(self, x):
        return 2.0 * x


inputs = tf.keras.Input(shape=(3,))
model = tf.keras.Model(inputs, Scale()(inputs))
model.save("scale.h5")
restored = tf.keras.models.load_model("scale.h5")  # expect: SMS201
