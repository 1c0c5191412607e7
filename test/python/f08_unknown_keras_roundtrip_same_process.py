# Unknown version, .keras in the same process: tf.keras imports the class's module (__main__) and loads;
# only Keras 3 fails, so nothing is reported (unknown files get what fails in both versions).
import tensorflow as tf


class Scale(tf.keras.layers.Layer):
    def call(self, x):
        return 2.0 * x


inputs = tf.keras.Input(shape=(3,))
model = tf.keras.Model(inputs, Scale()(inputs))
model.save("scale.keras")
restored = tf.keras.models.load_model("scale.keras")
