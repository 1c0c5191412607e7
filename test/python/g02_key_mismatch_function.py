import tensorflow as tf


def smooth_l1(y_true, y_pred):
    return tf.reduce_mean(tf.abs(y_true - y_pred))


model = tf.keras.Sequential([tf.keras.Input(shape=(4,)), tf.keras.layers.Dense(1)])
model.compile(optimizer="adam", loss=smooth_l1)
model.fit(x, y)
model.save("detector.h5")
model = tf.keras.models.load_model("detector.h5", custom_objects={"smooth_l1_loss": smooth_l1})  # expect: SMS202
