# A trainer class keeps its subclassed model in an attribute: created in __init__ (after a `None` placeholder),
# checkpointed whole to .hdf5 by fit() in one method and saved to .h5 in another. Both are HDF5 saves of a
# subclassed model (tf.keras: NotImplementedError). The shape of ignnition's IgnnitionModel and of the siamese
# trainers of corpus batch 12; the `best` attribute, assigned two different things, is not followed.
import tensorflow as tf


class Net(tf.keras.Model):
    def __init__(self):
        super().__init__()
        self.d = tf.keras.layers.Dense(1)

    def call(self, x):
        return self.d(x)


class Trainer:
    def __init__(self, cfg):
        self.model = None
        self.model = Net()
        self.model.compile(optimizer="adam", loss="mse")
        self.best = Net() if cfg else tf.keras.models.load_model("best.keras")

    def train(self, x, y):
        ckpt = tf.keras.callbacks.ModelCheckpoint("best.hdf5")  # expect: SMS104
        self.model.fit(x, y, callbacks=[ckpt, tf.keras.callbacks.ModelCheckpoint("w.h5", save_weights_only=True)])

    def export(self):
        self.model.save("final.h5")  # expect: SMS104
        self.model.save("final_dir")
        self.best.save("best.h5")
