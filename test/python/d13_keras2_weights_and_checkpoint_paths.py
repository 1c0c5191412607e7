# tf.keras (Keras 2) writes a TF checkpoint or SavedModel for these paths: nothing to report.
import tf_keras as keras

model = keras.Sequential([keras.Input(shape=(4,)), keras.layers.Dense(1)])
best = keras.callbacks.ModelCheckpoint("best_model", save_best_only=True)
model.save_weights("checkpoints/ckpt")
