# The save path reaches the training function through two parameters; every call passes the same .h5 name, so a
# subclassed model is saved to HDF5 (NotImplementedError in tf.keras). A helper called with two different
# endings stays silent.
import tensorflow as tf


class Forecaster(tf.keras.Model):
    def __init__(self):
        super().__init__()
        self.out = tf.keras.layers.Dense(1)

    def call(self, x):
        return self.out(x)


def train_model(x, y, namemodel):
    model = Forecaster()
    model.compile(optimizer="adam", loss="mse")
    model.fit(x, y)
    model.save(namemodel)  # expect: SMS104
    return model


def save_either(x, y, path):
    model = Forecaster()
    model.fit(x, y)
    model.save(path)


def main(x, y, namemodel, fresh=True):
    if fresh:
        return train_model(x, y, namemodel)
    save_either(x, y, "a.h5")
    save_either(x, y, "b.keras")
    return None


if __name__ == "__main__":
    namemodel = "eurusd_transformer_model.h5"
    main(1, 2, namemodel)
