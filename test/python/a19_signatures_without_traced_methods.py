# signatures= alone does not help when the class has no traced method with an input signature.
import tensorflow as tf


class Scorer(tf.keras.Model):
    def __init__(self):
        super().__init__()
        self.d = tf.keras.layers.Dense(1)

    def call(self, x):
        return self.d(x)


scorer = Scorer()
tf.saved_model.save(scorer, "scorer_dir", signatures=serving_fn)  # expect: SMS101
