# corpus-setting: kerasVersion=2
# tf.keras 2's fit_generator is fit: the whole-model checkpoint it is given writes the subclassed model to HDF5,
# which tf.keras refuses (NotImplementedError) at the end of the first epoch.
import tensorflow as tf


class Net(tf.keras.Model):
    def __init__(self):
        super().__init__()
        self.dense = tf.keras.layers.Dense(1)

    def call(self, x):
        return self.dense(x)


model = Net()
model.compile(loss="mse")
checkpoint = tf.keras.callbacks.ModelCheckpoint("best.h5")  # expect: SMS104
model.fit_generator(batches, epochs=3, callbacks=[checkpoint])
