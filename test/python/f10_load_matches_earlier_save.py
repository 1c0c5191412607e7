# A notebook saves the same path twice; the load in between belongs to the first save.
import tensorflow as tf
from tensorflow import keras


def my_softplus(z):
    return tf.math.log(tf.exp(z) + 1.0)


model = keras.Sequential([keras.layers.Dense(1, activation=my_softplus, input_shape=[8])])
model.compile(loss="mse", optimizer="sgd")
model.save("parts.h5")
model = keras.models.load_model("parts.h5", custom_objects={"my_softplus": my_softplus})


class MyL1Regularizer(keras.regularizers.Regularizer):
    def __init__(self, factor):
        self.factor = factor

    def __call__(self, weights):
        return tf.reduce_sum(tf.abs(self.factor * weights))

    def get_config(self):
        return {"factor": self.factor}


model = keras.Sequential([keras.layers.Dense(1, kernel_regularizer=MyL1Regularizer(0.01), input_shape=[8])])
model.compile(loss="mse", optimizer="sgd")
model.save("parts.h5")
model = keras.models.load_model("parts.h5")  # expect: SMS201
