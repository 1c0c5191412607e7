# corpus-source: https://github.com/jeffheaton/t81_558_deep_learning/blob/e674d07b85289b0cfb4cc57ff213228fd2ae4dc4/t81_558_class_14_01_automl.ipynb
# corpus-licence: Apache-2.0 (Copyright Jeff Heaton); full text in test/python-corpus/LICENSES/jeffheaton+t81_558_deep_learning.txt
# corpus-note: notebook exported to .py (code cells only; shell/magic lines commented out)
# %%
# Detect Colab if present
try:
    from google.colab import drive
    COLAB = True
    print("Note: using Google CoLab")
#     %tensorflow_version 2.x
except:
    print("Note: not using Google CoLab")
    COLAB = False

# %%
# HIDE OUTPUT
import os
import pandas as pd

URL = "https://github.com/jeffheaton/data-mirror/"
DOWNLOAD_SOURCE = URL+"releases/download/v1/paperclips.zip"
DOWNLOAD_NAME = DOWNLOAD_SOURCE[DOWNLOAD_SOURCE.rfind('/')+1:]

if COLAB:
  PATH = "/content"
else:
  # I used this locally on my machine, you may need different
  PATH = "/Users/jeff/temp"

EXTRACT_TARGET = os.path.join(PATH,"clips")
SOURCE = os.path.join(EXTRACT_TARGET, "paperclips")

# Download paperclip data
# !wget -O {os.path.join(PATH,DOWNLOAD_NAME)} {DOWNLOAD_SOURCE}
# !mkdir -p {SOURCE}
# !mkdir -p {TARGET}
# !mkdir -p {EXTRACT_TARGET}
# !unzip -o -j -d {SOURCE} {os.path.join(PATH, DOWNLOAD_NAME)} >/dev/null

# Process training data 
df_train = pd.read_csv(os.path.join(SOURCE, "train.csv"))
df_train['filename'] = "clips-" + df_train.id.astype(str) + ".jpg"

# Use only the first 1000 images
df_train = df_train[0:1000]

# %%
# HIDE OUTPUT
import tensorflow as tf
import keras_preprocessing
import glob, os
import tqdm
import numpy as np
from PIL import Image

IMG_SHAPE = (128,128)

def load_images(files, img_shape):
  cnt = len(files)
  x = np.zeros((cnt,)+img_shape+(3,))
  i = 0
  for file in tqdm.tqdm(files):
    img = Image.open(file)
    img = img.resize(img_shape)
    img = np.array(img)
    img = img/255
    x[i,:,:,:] = img
    i+=1
  return x

images = [os.path.join(SOURCE,x) for x in df_train.filename]
x = load_images(images, IMG_SHAPE)
y = df_train.clip_count.values

# %%
# HIDE OUTPUT
# !pip install autokeras

# %%
import numpy as np
import autokeras as ak

MAX_TRIALS = 2
SEED = 42
VAL_SPLIT = 0.1
EPOCHS = 1000
BATCH_SIZE = 32

auto_reg = ak.ImageRegressor(overwrite=True, 
  max_trials=MAX_TRIALS,
  seed=42)
auto_reg.fit(x, y, validation_split=VAL_SPLIT, batch_size=BATCH_SIZE, 
        epochs=EPOCHS)
print(auto_reg.evaluate(x,y))

# %%
print(type(auto_reg))
model = auto_reg.export_model()
model.summary()

# %%
from keras.models import load_model

print(type(model))  

try:
    model.save("model_autokeras", save_format="tf")
except Exception:
    model.save("model_autokeras.h5")


loaded_model = load_model("model_autokeras",\
    custom_objects=ak.CUSTOM_OBJECTS)
print(loaded_model.evaluate(x,y))
