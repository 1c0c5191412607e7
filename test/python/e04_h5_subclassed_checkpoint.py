# A whole-model ModelCheckpoint to .h5 saves a subclassed model at the end of an epoch: tf.keras raises
# NotImplementedError there, Keras 3 writes a file it cannot load back. A weights-only checkpoint is fine.
import tensorflow as tf


class Classifier(tf.keras.Model):
    def __init__(self):
        super().__init__()
        self.dense = tf.keras.layers.Dense(2)

    def call(self, x):
        return self.dense(x)


model = Classifier()
model.compile(optimizer="adam", loss="mse")
best = tf.keras.callbacks.ModelCheckpoint("best_model.h5", monitor="val_loss", save_best_only=True)  # expect: SMS104
weights = tf.keras.callbacks.ModelCheckpoint("best.weights.h5", save_weights_only=True)
model.fit(x, y, validation_split=0.1, callbacks=[best, weights])
model.save("classifier.keras")
