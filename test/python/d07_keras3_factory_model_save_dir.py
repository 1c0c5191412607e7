# Keras 3 (keras.ops marks it): a Functional model returned by the file's factory, saved without .keras.
import keras
from keras import layers


def build_model(input_sequence_length=968):
    inputs = layers.Input(shape=(input_sequence_length, 181))
    x = layers.GRU(128)(inputs)
    outputs = layers.Dense(input_sequence_length)(keras.ops.relu(x))
    model = keras.Model(inputs, outputs)
    model.compile(optimizer="adam", loss="mse")
    return model


model = build_model()
model.fit(train_generator, epochs=5)
model.save("gru_forecaster")  # expect: SMS103
keras.saving.save_model(model, "gru_forecaster.keras")
