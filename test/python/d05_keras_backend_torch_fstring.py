# KERAS_BACKEND=torch marks Keras 3: save() to an f-string directory fails.
import os

os.environ["KERAS_BACKEND"] = "torch"
import keras

model = keras.Sequential([keras.Input(shape=(3,)), keras.layers.Dense(1)])
run = 3
model.save(f"runs/{run}/model")  # expect: SMS103
