# corpus-setting: kerasVersion=3
# Keras 3: compile(optimizer, loss) with a file function, .keras round trip without custom_objects.
import keras


def huber_fn(y_true, y_pred):
    return keras.ops.mean(keras.ops.square(y_true - y_pred))


model = keras.Sequential([keras.Input(shape=(8,)), keras.layers.Dense(1)])
model.compile("sgd", huber_fn)
model.save("huber.keras")
reloaded = keras.models.load_model("huber.keras")  # expect: SMS201
