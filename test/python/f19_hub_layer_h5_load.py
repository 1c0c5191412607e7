# A serving app that imports tensorflow_hub loads an .h5 model (a hub.KerasLayer inside): without
# custom_objects Keras cannot resolve 'KerasLayer' (it is not registered), in both versions. A load that
# passes it, and a SavedModel directory load (revived without the class), are fine.
import tensorflow as tf
import tensorflow_hub as hub

classifier = tf.keras.models.load_model(  # expect: SMS201
    ("text_classifier.h5")
    # custom_objects={"KerasLayer": hub.KerasLayer}
)
served = tf.keras.models.load_model("text_classifier.h5", custom_objects={"KerasLayer": hub.KerasLayer})
revived = tf.keras.models.load_model("exported_model_dir")
