# Version unknown (only `import tensorflow as tf`): export() after build() alone raises in both
# Keras versions (tf.keras: no save spec, Model.build calls call() directly; Keras 3: never called).
import tensorflow as tf


class Tower(tf.keras.Model):
    def __init__(self):
        super().__init__()
        self.d = tf.keras.layers.Dense(4)

    def call(self, x):
        return self.d(x)


tower = Tower()
tower.build((None, 8))
tower.export("tower_export")  # expect: SMS102
