# A model saved elsewhere may have been compiled with a loss named "IoU": mapping that saved name to this
# file's IoU_Loss is a deliberate alias, not a mismatch (from a real serving helper, Catherinelapir/cacx-seg).
import tensorflow as tf


def IoU(y_true, y_pred):
    return tf.reduce_mean(y_true * y_pred)


def IoU_Loss(y_true, y_pred):
    return 1 - IoU(y_true, y_pred)


def load_model(path):
    model = tf.keras.models.load_model(path, custom_objects={"IoU": IoU_Loss}, compile=False)
    model.compile(optimizer="adam", loss=IoU_Loss, metrics=[IoU])
    return model
