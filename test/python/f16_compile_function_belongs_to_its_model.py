# A loss given to one model's compile() is not part of another model saved later in the notebook.
import tensorflow as tf


def loss_fn(y_true, y_pred):
    return tf.abs(y_true - y_pred)


class Linear(tf.keras.Model):
    def __init__(self):
        super().__init__()
        self.w = tf.Variable(0.0)

    def call(self, x):
        return self.w * x


model = Linear()
model.compile(optimizer="sgd", loss=loss_fn)
model.fit(x_train, y_train)

iris_model = tf.keras.Sequential([tf.keras.layers.Dense(3, input_shape=(4,))])
iris_model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
iris_model.fit(x_iris, y_iris)
iris_model.save("iris.h5")
restored = tf.keras.models.load_model("iris.h5")
