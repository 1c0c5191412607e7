/** Python scripts the unit and integration tests write into workspaces (one copy of each). */

/** A training script that registers `Gate` under package "shop" and saves a Functional model using it to `path`. */
export function trainGateScript(path: string): string {
  return [
    "import tensorflow as tf",
    "",
    '@tf.keras.utils.register_keras_serializable(package="shop")',
    "class Gate(tf.keras.layers.Layer):",
    "    def call(self, x):",
    "        return x",
    "",
    "inputs = tf.keras.Input(shape=(4,))",
    "model = tf.keras.Model(inputs, Gate()(inputs))",
    `model.save("${path}")`,
    "",
  ].join("\n");
}

/** A serving script with its own unregistered copy of `Gate`, passed under the key "Gate", loading `path`. */
export function serveGateScript(path: string): string {
  return [
    "import tensorflow as tf",
    "",
    "class Gate(tf.keras.layers.Layer):",
    "    def call(self, x):",
    "        return x",
    "",
    `model = tf.keras.models.load_model("${path}", custom_objects={"Gate": Gate})`,
    "",
  ].join("\n");
}
