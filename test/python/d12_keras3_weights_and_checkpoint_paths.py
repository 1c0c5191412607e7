# Keras 3 also checks the extension in save_weights() (".weights.h5") and ModelCheckpoint (".keras"/".h5",
# ".weights.h5" with save_weights_only=True); tf.keras accepted checkpoint prefixes and SavedModel folders.
import os

os.environ["KERAS_BACKEND"] = "torch"
import keras

model = keras.Sequential([keras.Input(shape=(4,)), keras.layers.Dense(1)])
best = keras.callbacks.ModelCheckpoint("best_model", save_best_only=True)  # expect: SMS103
per_epoch = keras.callbacks.ModelCheckpoint(filepath="w-{epoch:02d}.h5", save_weights_only=True)  # expect: SMS103
fine = keras.callbacks.ModelCheckpoint("best.keras", save_best_only=True)
fine_weights = keras.callbacks.ModelCheckpoint("m-{epoch}.weights.h5", save_weights_only=True)
unknown_flag = keras.callbacks.ModelCheckpoint("best_model", save_weights_only=os.environ.get("W") == "1")
model.save_weights("model_weights.h5")  # expect: SMS103
model.save_weights("model.weights.h5")
model.save_weights(f"{os.getcwd()}/weights")  # expect: SMS103
model.save_weights(os.environ["OUT"])
model.save_weights("sharded.json", max_shard_size=2)
