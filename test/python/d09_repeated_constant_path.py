# Notebook cells that repeat `saved_model_path = ...` with the same literal: still that literal.
import tensorflow as tf

saved_model_path = "exports/tf_save"


class Net(tf.keras.Model):
    def __init__(self):
        super().__init__()
        self.d = tf.keras.layers.Dense(5)

    def call(self, x):
        return self.d(x)


saved_model_path = "exports/tf_save"
m = Net()
m.save(saved_model_path)  # expect: SMS101
