# A notebook rebinds `model`: the custom model of an earlier cell is not part of the Sequential saved later.
import tensorflow as tf
from tensorflow import keras


class WideAndDeep(keras.Model):
    def __init__(self, units=30, **kwargs):
        super().__init__(**kwargs)
        self.hidden = keras.layers.Dense(units)
        self.out = keras.layers.Dense(1)

    def call(self, x):
        return self.out(self.hidden(x))


model = WideAndDeep(30)
model.compile(loss="mse", optimizer="sgd")
model.fit(x_train, y_train, epochs=1)

model = keras.models.Sequential([keras.layers.Dense(30, input_shape=[8]), keras.layers.Dense(1)])
model.compile(loss="mse", optimizer="sgd")
model.fit(x_train, y_train, epochs=1)
model.save("my_keras_model.h5")
model = keras.models.load_model("my_keras_model.h5")
