# custom_objects given two adjacent string literals (one string, "PatchesPatchEncoder") instead of a dict:
# load_model raises TypeError ('str' object is not a mapping); from a real ViT app (jmjeffries/Team-3).
import keras


def get_model():
    model = keras.saving.load_model("model.keras", custom_objects='Patches''PatchEncoder')  # expect: SMS201
    return model


ok = keras.saving.load_model("model.keras", custom_objects={"Patches": dict})
