"""2-D maps of a feature space and how well it groups digits (kNN), for the self-supervised page.

A map is t-SNE of the test digits' features (after PCA to 50 dimensions when wider), drawn with
no label; the page colours each point by its true digit, so a class sees whether an encoder
trained without labels put the 3s together. The kNN accuracy puts a number on the same picture:
each test digit takes the majority digit of its 5 nearest pool digits (cosine similarity), with
the whole pool's labels, so it measures the features, not the label budget.
"""

from __future__ import annotations

import io

import numpy as np

KNN_NEIGHBOURS = 5
MAP_METHOD = "t-SNE (after PCA to 50 dimensions when wider) of the test digits' features, no label"


def map_2d(vectors: np.ndarray, seed: int = 0) -> np.ndarray:
    """(N, D) -> (N, 2) float32 in [-1, 1]."""
    from sklearn.decomposition import PCA
    from sklearn.manifold import TSNE

    vectors = vectors.astype(np.float32)
    if vectors.shape[1] > 50:
        vectors = PCA(n_components=min(50, *vectors.shape), random_state=seed).fit_transform(vectors)
    xy = TSNE(n_components=2, init="pca", random_state=seed,
              perplexity=min(30.0, (len(vectors) - 1) / 3)).fit_transform(vectors)
    xy -= xy.mean(axis=0)
    return (xy / np.abs(xy).max()).astype(np.float32)


def knn_accuracy(train_features: np.ndarray, train_labels: np.ndarray, test_features: np.ndarray,
                 test_labels: np.ndarray, k: int = KNN_NEIGHBOURS) -> float:
    """Majority vote of the k most cosine-similar training vectors, as a fraction right."""
    def unit(x):
        x = x.astype(np.float32)
        return x / (np.linalg.norm(x, axis=1, keepdims=True) + 1e-8)

    similarity = unit(test_features) @ unit(train_features).T  # (N_test, N_train)
    nearest = np.argpartition(-similarity, k, axis=1)[:, :k]
    votes = train_labels[nearest]  # (N_test, k)
    n_classes = int(max(train_labels.max(), test_labels.max())) + 1
    counts = np.zeros((len(votes), n_classes), dtype=np.int64)
    np.add.at(counts, (np.repeat(np.arange(len(votes)), k), votes.ravel()), 1)
    return float(np.mean(counts.argmax(axis=1) == test_labels))


def feature_map_npz(test_features: np.ndarray) -> bytes:
    """The bundle file of one map: rows in the order of the data set's evaluation file."""
    buffer = io.BytesIO()
    np.savez_compressed(buffer, xy=map_2d(test_features).astype(np.float16))
    return buffer.getvalue()
