# The model is only built with build(shape); its train_step runs self.forward_pass(), never the model itself,
# so fit() records no input shape either. A whole-model ModelCheckpoint to a folder ("...weights" via
# str.format) then fails at the end of the first epoch in tf.keras, and Keras 3 rejects the path. Whichever
# of the two subclassed models the flag picks, the state is the same.
import tensorflow as tf
from tensorflow import keras


class PointNet(keras.Model):
    def __init__(self, units):
        super().__init__()
        self.dense = keras.layers.Dense(units)

    def forward_pass(self, x, training):
        return self.dense(x)

    def train_step(self, data):
        x, y = data
        with tf.GradientTape() as tape:
            loss = self.compiled_loss(y, self.forward_pass(x, True))
        grads = tape.gradient(loss, self.trainable_variables)
        self.optimizer.apply_gradients(zip(grads, self.trainable_variables))
        return {"loss": loss}


class PointNetMSG(PointNet):
    pass


def train(config, ds):
    if config["msg"]:
        model = PointNetMSG(config["units"])
    else:
        model = PointNet(config["units"])
    callbacks = [
        keras.callbacks.ModelCheckpoint("./logs/{}/model/weights".format(config["log_dir"]), save_best_only=True),  # expect: SMS102
    ]
    model.build((None, 1024, 3))
    model.compile(optimizer="adam", loss="mse")
    model.fit(ds, epochs=5, callbacks=callbacks)
