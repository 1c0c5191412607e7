# tf_keras (Keras 2): build() then load_weights, then tf_keras.models.save_model to a directory.
import tf_keras


class Ranker(tf_keras.Model):
    def __init__(self):
        super().__init__()
        self.d = tf_keras.layers.Dense(1)

    def call(self, x):
        return self.d(x)


ranker = Ranker()
ranker.build((None, 16))
ranker.load_weights("ranker.ckpt")
tf_keras.models.save_model(ranker, "serving/ranker/1")  # expect: SMS102
