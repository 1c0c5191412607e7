# `from keras import ops` marks Keras 3: a Functional model saved without .keras fails.
import keras
from keras import layers, ops

inputs = keras.Input(shape=(8,))
outputs = layers.Dense(1)(ops.relu(inputs))
model = keras.Model(inputs, outputs)
model.compile(optimizer="adam", loss="mse")
model.save("regressor")  # expect: SMS103
