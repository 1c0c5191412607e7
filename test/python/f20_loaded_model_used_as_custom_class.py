# Keras 3: a training script resumes from the last checkpoint (a path found at run time) or checks a reload.
# What is loaded is a GAN instance: the same name is a new GAN when training fresh, and the reload is used
# through `.generator`, which only GAN has. GAN is neither registered nor passed: "Could not locate class".
import os

os.environ["KERAS_BACKEND"] = "jax"
import keras


class GAN(keras.Model):
    def __init__(self, generator, critic):
        super().__init__()
        self.generator = generator
        self.critic = critic

    def call(self, x):
        return self.generator(x)


def latest(directory):
    return sorted(os.listdir(directory))[-1]


def make(fresh, ckpt_dir):
    if fresh:
        gan = GAN(keras.Sequential([keras.layers.Dense(4)]), keras.Sequential([keras.layers.Dense(1)]))
        gan.compile(optimizer="adam", loss="mse")
    else:
        gan = keras.models.load_model(os.path.join(ckpt_dir, latest(ckpt_dir)))  # expect: SMS201
    return gan


def reload_test(ckpt_dir, noise):
    reloaded = keras.models.load_model(latest(ckpt_dir))  # expect: SMS201
    return reloaded.generator.predict(noise)


def reload_provided(ckpt_dir, noise):
    reloaded = keras.models.load_model(latest(ckpt_dir), custom_objects={"GAN": GAN})
    return reloaded.generator.predict(noise)


def reload_plain(ckpt_dir, x):
    classifier = keras.models.load_model(latest(ckpt_dir))
    return classifier.predict(x), classifier.layers
