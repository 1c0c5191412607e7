# A Model used only as a container of traced functions, saved with explicit signatures: exports fine.
import tensorflow as tf


class Exporter(tf.keras.Model):
    def __init__(self, table):
        super().__init__()
        self.table = table

    @tf.function(input_signature=[tf.TensorSpec([None], tf.string)])
    def lookup(self, keys):
        return {"ids": self.table.lookup(keys)}


exporter = Exporter(table)
tf.saved_model.save(exporter, "export_dir", signatures={"serving_default": exporter.lookup})
