# custom_objects keys made from a model object: f"{model_name}" and str(model_name) are the object's text
# ("<VGG object at 0x...>"), never the class name Keras saved, so nothing is provided under them.
import keras
from tensorflow.keras.models import load_model


class VGG(keras.Model):
    def call(self, x):
        return x


model_name = VGG()
name = "VGG"
first = load_model("vgg.keras", custom_objects={f"{model_name}": VGG})  # expect: SMS202
second = load_model("vgg.keras", custom_objects={str(model_name): VGG})  # expect: SMS202
fine = load_model("vgg.keras", custom_objects={f"{name}": VGG})
