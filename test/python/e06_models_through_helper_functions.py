# A training script split into functions: the subclassed model is made by create_model(), compiled by a function
# that returns it, trained by train_model() with callbacks made elsewhere, and saved by save_results(). The .h5
# saves of that model are found through the calls (tf.keras raises NotImplementedError). A Sequential model
# handed to the same kind of helper is fine.
import tensorflow as tf


class SeqModel(tf.keras.Model):
    def __init__(self, units):
        super().__init__()
        self.out = tf.keras.layers.Dense(units)

    def call(self, x):
        return self.out(x)


def create_model(units):
    model = SeqModel(units)
    return model


def compile_model(model, lr):
    model.compile(optimizer=tf.keras.optimizers.Adam(lr), loss="mse")
    return model


def train_model(model, data, epochs):
    best = tf.keras.callbacks.ModelCheckpoint("best_seq.h5", save_best_only=True)  # expect: SMS104
    return model.fit(data, epochs=epochs, callbacks=[best])


def save_results(model, history, path):
    model.save(path)  # expect: SMS104
    return history


def save_plain(net):
    net.save("plain.h5")


def main(data):
    model = create_model(4)
    model = compile_model(model, 1e-3)
    history = train_model(model, data, 3)
    save_results(model, history, "seq_final.h5")
    plain = tf.keras.Sequential([tf.keras.Input((4,)), tf.keras.layers.Dense(1)])
    plain.fit(data)
    save_plain(plain)
