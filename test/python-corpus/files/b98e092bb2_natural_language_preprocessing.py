# corpus-source: https://github.com/the-deep-learners/deep-learning-illustrated/blob/d11faaf7e34640c23181f7ac0e695fef00cf89f3/notebooks/natural_language_preprocessing.ipynb
# corpus-licence: MIT (Copyright (c) the-deep-learners); full text in test/python-corpus/LICENSES/the-deep-learners+deep-learning-illustrated.txt
# corpus-note: notebook exported to .py (code cells only; shell/magic lines commented out)
# %%
import nltk
from nltk import word_tokenize, sent_tokenize
from nltk.corpus import stopwords
from nltk.stem.porter import *
nltk.download('gutenberg')
nltk.download('punkt')
nltk.download('stopwords')

import string

import gensim
from gensim.models.phrases import Phraser, Phrases
from gensim.models.word2vec import Word2Vec

from sklearn.manifold import TSNE

import pandas as pd
from bokeh.io import output_notebook, output_file
from bokeh.plotting import show, figure
# %matplotlib inline

# %%
from nltk.corpus import gutenberg

# %%
len(gutenberg.fileids())

# %%
gutenberg.fileids()

# %%
len(gutenberg.words())

# %%
gberg_sent_tokens = sent_tokenize(gutenberg.raw())

# %%
gberg_sent_tokens[0:6]

# %%
gberg_sent_tokens[1]

# %%
word_tokenize(gberg_sent_tokens[1])

# %%
word_tokenize(gberg_sent_tokens[1])[14]

# %%
# a convenient method that handles newlines, as well as tokenizing sentences and words in one shot
gberg_sents = gutenberg.sents()

# %%
gberg_sents[0:6]

# %%
gberg_sents[4][14]

# %%
gberg_sents[4]

# %%
[w.lower() for w in gberg_sents[4]]

# %%
stpwrds = stopwords.words('english') + list(string.punctuation)

# %%
stpwrds

# %%
[w.lower() for w in gberg_sents[4] if w.lower() not in stpwrds]

# %%
stemmer = PorterStemmer()

# %%
[stemmer.stem(w.lower()) for w in gberg_sents[4] 
 if w.lower() not in stpwrds]

# %%
phrases = Phrases(gberg_sents) # train detector

# %%
bigram = Phraser(phrases) # create a more efficient Phraser object for transforming sentences

# %%
bigram.phrasegrams # output count and score of each bigram

# %%
tokenized_sentence = "Jon lives in New York City".split()

# %%
tokenized_sentence

# %%
bigram[tokenized_sentence]

# %%
# as in Maas et al. (2001):
# - leave in stop words ("indicative of sentiment")
# - no stemming ("model learns similar representations of words of the same stem when data suggests it")
lower_sents = []
for s in gberg_sents:
    lower_sents.append([w.lower() for w in s if w.lower()
                        not in list(string.punctuation)])

# %%
lower_sents[0:5]

# %%
lower_bigram = Phraser(Phrases(lower_sents))

# %%
lower_bigram.phrasegrams # miss taylor, mr woodhouse, mr weston

# %%
lower_bigram["jon lives in new york city".split()]

# %%
lower_bigram = Phraser(Phrases(lower_sents, 
                               min_count=32, threshold=64))
lower_bigram.phrasegrams

# %%
clean_sents = []
for s in lower_sents:
    clean_sents.append(lower_bigram[s])

# %%
clean_sents[0:9]

# %%
clean_sents[6]

# %%
# max_vocab_size can be used instead of min_count (which has increased here)
# model = Word2Vec(sentences=clean_sents, size=64, 
#                  sg=1, window=10, iter=5,
#                  min_count=10, workers=4)
# model.save('clean_gutenberg_model.w2v')

# %%
# skip re-training the model with the next line:  
model = gensim.models.Word2Vec.load('clean_gutenberg_model.w2v')

# %%
len(model.wv.vocab) # would be 17k if we carried out no preprocessing

# %%
model.wv['dog']

# %%
len(model.wv['dog'])

# %%
model.wv.most_similar('dog', topn=3)

# %%
model.wv.most_similar('eat', topn=3)

# %%
model.wv.most_similar('day', topn=3)

# %%
model.wv.most_similar('father', topn=3)

# %%
model.wv.most_similar('ma_am', topn=3)

# %%
model.wv.doesnt_match("mother father sister brother dog".split())

# %%
model.wv.similarity('father', 'dog')

# %%
model.wv.most_similar(positive=['father', 'woman'], negative=['man'])

# %%
model.wv.most_similar(positive=['husband', 'woman'], negative=['man'])

# %%
# tsne = TSNE(n_components=2, n_iter=1000)

# %%
# X_2d = tsne.fit_transform(model.wv[model.wv.vocab])

# %%
# coords_df = pd.DataFrame(X_2d, columns=['x','y'])
# coords_df['token'] = model.wv.vocab.keys()

# %%
# coords_df.head()

# %%
# coords_df.to_csv('clean_gutenberg_tsne.csv', index=False)

# %%
coords_df = pd.read_csv('clean_gutenberg_tsne.csv')

# %%
_ = coords_df.plot.scatter('x', 'y', figsize=(12,12), 
                           marker='.', s=10, alpha=0.2)

# %%
output_notebook()

# %%
subset_df = coords_df.sample(n=5000)

# %%
p = figure(plot_width=800, plot_height=800)
_ = p.text(x=subset_df.x, y=subset_df.y, text=subset_df.token)

# %%
show(p)

# %%
# output_file() here
