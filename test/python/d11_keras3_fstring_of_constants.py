# Keras 3 (torch backend): an f-string made of module constants is a fixed path without .keras;
# an f-string with a run-time value is not judged.
import os
import sys

os.environ["KERAS_BACKEND"] = "torch"
import keras

OUT = "artifacts"
name = "classifier"

inputs = keras.Input(shape=(4,))
model = keras.Model(inputs, keras.layers.Dense(2)(inputs))
model.save(f"{OUT}/{name}")  # expect: SMS103
model.save(f"{OUT}/{sys.argv[1]}")
