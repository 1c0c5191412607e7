# The path name is given two different values: not a constant, so its extension is unknown (silent).
import tensorflow as tf

path = "exports/model_dir"


class Net(tf.keras.Model):
    def __init__(self):
        super().__init__()
        self.d = tf.keras.layers.Dense(5)

    def call(self, x):
        return self.d(x)


path = "exports/model.keras"
m = Net()
m.save(path)
