# A notebook compiles with its own metric, its save cell is commented out, and it reloads the file: the load
# rebuilds the compile arguments and cannot find f1_m ("Unknown metric function"). A load that passes it, or
# does not compile, is fine; a pretrained model loaded before the compile is not that model.
import tensorflow as tf
from tensorflow.keras.models import load_model


def f1_m(y_true, y_pred):
    return tf.reduce_mean(y_true * y_pred)


base = load_model("pretrained/backbone.h5")
model = tf.keras.Sequential([base, tf.keras.layers.Dense(2, activation="softmax")])
model.compile(optimizer="adam", loss="binary_crossentropy", metrics=[f1_m, "accuracy"])
model.fit(x, y, epochs=3)
# model.save("/content/drive/models/my_model.h5")
again = load_model("/content/drive/models/my_model.h5")  # expect: SMS201
provided = load_model("/content/drive/models/my_model.h5", custom_objects={"f1_m": f1_m})
inference = load_model("/content/drive/models/my_model.h5", compile=False)
model.compile(optimizer="sgd", loss="binary_crossentropy", metrics=[f1_m])  # compiled again later: f1_m still counts above
