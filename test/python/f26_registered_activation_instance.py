# An activation registered as an instance under a key (`get_custom_objects().update({"mish": Mish(mish)})`) and
# used by name (`Activation("mish")`): the model holds the activation by that name, not a `Mish` layer, so the
# reload in the same file (where the registration runs) finds it. Checked with Keras 3.15.1: the Activation
# layer's config says "activation": "mish" and load_model returns the model. From RobotEdh/Yolov-4's
# YoloV3-tiny notebooks (false alarms on corpus batch 14).
import tensorflow as tf
from keras.layers import Activation, Dense, Input
from keras.models import Model, load_model
from keras.utils import get_custom_objects


class Mish(Activation):
    def __init__(self, activation, **kwargs):
        super(Mish, self).__init__(activation, **kwargs)
        self.__name__ = "mish"


def mish(x):
    return x * tf.math.tanh(tf.math.softplus(x))


get_custom_objects().update({"mish": Mish(mish)})

inputs = Input(shape=(4,))
model = Model(inputs, Activation("mish")(Dense(3)(inputs)))
model.save("models/yolo.h5")
yolo = load_model("models/yolo.h5")
