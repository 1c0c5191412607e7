# The build quick fix's placeholder `shape=...` is not a shape: a diagnostic stays until it is filled in.
import tensorflow as tf


class Net(tf.keras.Model):
    def __init__(self):
        super().__init__()
        self.d = tf.keras.layers.Dense(3)

    def call(self, x):
        return self.d(x)


net = Net()
net(tf.keras.Input(shape=...))  # expect: SMS105
net.save("net_dir")
