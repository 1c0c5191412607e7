# Keras 3 (jax backend): export() after build() alone raises "has never been called".
import os

os.environ["KERAS_BACKEND"] = "jax"
import keras


class Tower(keras.Model):
    def __init__(self):
        super().__init__()
        self.d = keras.layers.Dense(4)

    def call(self, x):
        return self.d(x)


tower = Tower()
tower.build((None, 8))
tower.export("tower_export")  # expect: SMS102
