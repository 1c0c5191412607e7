# Custom layers added to the Sequential after it was created still belong to it.
import tensorflow as tf
from tensorflow import keras


class Scale(keras.layers.Layer):
    def call(self, x):
        return x * 2.0


model = keras.Sequential()
model.add(keras.layers.Dense(4, input_shape=(3,)))
model.add(Scale())
model.compile(loss="mse", optimizer="sgd")
model.fit(x, y)
model.save("scaled.h5")
restored = keras.models.load_model("scaled.h5")  # expect: SMS201
