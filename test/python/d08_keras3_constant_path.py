# Keras 3 (KERAS_BACKEND=jax): the path is a module constant without .keras.
import os

os.environ["KERAS_BACKEND"] = "jax"
import keras

MODEL_DIR = "artifacts/classifier"

model = keras.Sequential([keras.Input(shape=(4,)), keras.layers.Dense(3, activation="softmax")])
model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
model.save(MODEL_DIR)  # expect: SMS103
