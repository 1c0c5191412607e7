# Keras 3 gives Model subclasses no automatic config (Model.__new__ passes no constructor arguments on):
# a required argument makes get_config() raise NotImplementedError when the model is saved to .keras.
import keras
from keras import ops


class Regressor(keras.Model):  # expect: SMS204
    def __init__(self, units):
        super().__init__()
        self.dense = keras.layers.Dense(units)

    def call(self, x):
        return ops.relu(self.dense(x))


class WithDefaults(keras.Model):
    def __init__(self, units=4):
        super().__init__()
        self.dense = keras.layers.Dense(units)

    def call(self, x):
        return self.dense(x)


m = Regressor(8)
m(ops.ones((1, 3)))
m.save("regressor.keras")
d = WithDefaults()
d(ops.ones((1, 3)))
d.save("defaults.keras")
