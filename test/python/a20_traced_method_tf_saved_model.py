# tf.saved_model.save exports traced @tf.function methods: a generator model never called still saves them.
import tensorflow as tf


class OneStep(tf.keras.Model):
    def __init__(self, model, temperature=1.0):
        super().__init__()
        self.model = model
        self.temperature = temperature

    @tf.function
    def generate_one_step(self, inputs, states=None):
        logits, states = self.model(inputs, states=states, return_state=True)
        return tf.random.categorical(logits / self.temperature, 1), states


one_step = OneStep(base)
for _ in range(10):
    token, states = one_step.generate_one_step(token, states=states)
tf.saved_model.save(one_step, "one_step")
