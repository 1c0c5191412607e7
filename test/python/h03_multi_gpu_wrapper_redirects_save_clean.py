# A multi-GPU wrapper (the ModelMGPU recipe) hands `save` and `load` to the serial Functional model through
# __getattribute__: the checkpoint writes that model to HDF5, which works in tf.keras.
import tensorflow as tf
from tensorflow.keras.callbacks import ModelCheckpoint


class ModelMGPU(tf.keras.Model):
    def __init__(self, ser_model, gpus):
        self._smodel = ser_model

    def __getattribute__(self, attrname):
        if "load" in attrname or "save" in attrname:
            return getattr(self._smodel, attrname)
        return super(ModelMGPU, self).__getattribute__(attrname)


inputs = tf.keras.Input(shape=(4,))
serial = tf.keras.Model(inputs, tf.keras.layers.Dense(1)(inputs))
parallel = ModelMGPU(serial, 2)
parallel.compile(loss="mse")
parallel.fit(x, y, callbacks=[ModelCheckpoint("best.h5")])
