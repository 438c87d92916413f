"""2-D data generators. TensorFlow Playground's six follow its dataset.ts; all share one signature.

Each takes (n_samples, noise as a fraction 0..0.5, a NumPy Generator) and returns points in
[-6, 6]² (shape (n, 2)) and labels: 0/1 (or 0..k-1) for classification, a value in [-1, 1]
for regression.
"""

from collections.abc import Callable

import numpy as np

Generator = Callable[[int, float, np.random.Generator], tuple[np.ndarray, np.ndarray]]


def circle(n: int, noise: float, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    radius = 5.0
    half = n // 2
    r = np.concatenate([rng.uniform(0, radius * 0.5, half), rng.uniform(radius * 0.7, radius, n - half)])
    angle = rng.uniform(0, 2 * np.pi, n)
    points = np.stack([r * np.sin(angle), r * np.cos(angle)], axis=1)
    jitter = rng.uniform(-radius, radius, (n, 2)) * noise
    labels = (np.hypot(*(points + jitter).T) < radius * 0.5).astype(np.int64)
    return points, labels


def xor(n: int, noise: float, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    padding = 0.3
    points = rng.uniform(-5, 5, (n, 2))
    points += np.where(points > 0, padding, -padding)
    jitter = rng.uniform(-5, 5, (n, 2)) * noise
    shifted = points + jitter
    labels = (shifted[:, 0] * shifted[:, 1] >= 0).astype(np.int64)
    return points, labels


def gauss(n: int, noise: float, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    variance = 0.5 + noise / 0.5 * 3.5  # d3 linear scale [0, .5] -> [0.5, 4]
    half = n // 2
    pos = rng.normal((2, 2), np.sqrt(variance), (half, 2))
    neg = rng.normal((-2, -2), np.sqrt(variance), (n - half, 2))
    labels = np.concatenate([np.ones(half), np.zeros(n - half)]).astype(np.int64)
    return np.concatenate([pos, neg]), labels


def _spiral_arm(n: int, delta: float, noise: float, rng: np.random.Generator) -> np.ndarray:
    i = np.arange(n) / n
    r = i * 5
    t = 1.75 * i * 2 * np.pi + delta
    points = np.stack([r * np.sin(t), r * np.cos(t)], axis=1)
    return points + rng.uniform(-1, 1, (n, 2)) * noise


def spiral(n: int, noise: float, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    half = n // 2
    points = np.concatenate([_spiral_arm(half, 0, noise, rng), _spiral_arm(n - half, np.pi, noise, rng)])
    labels = np.concatenate([np.ones(half), np.zeros(n - half)]).astype(np.int64)
    return points, labels


def plane(n: int, noise: float, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    points = rng.uniform(-6, 6, (n, 2))
    jitter = rng.uniform(-6, 6, (n, 2)) * noise
    shifted = points + jitter
    return points, (shifted[:, 0] + shifted[:, 1]) / 10  # d3 scale [-10, 10] -> [-1, 1]


_GAUSSIANS = np.array([[-4, 2.5, 1], [0, 2.5, -1], [4, 2.5, 1], [-4, -2.5, -1], [0, -2.5, 1], [4, -2.5, -1]])


def multi_gaussian(n: int, noise: float, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    points = rng.uniform(-6, 6, (n, 2))
    shifted = points + rng.uniform(-6, 6, (n, 2)) * noise
    dist = np.hypot(shifted[:, None, 0] - _GAUSSIANS[:, 0], shifted[:, None, 1] - _GAUSSIANS[:, 1])
    values = _GAUSSIANS[:, 2] * np.clip(1 - dist / 2, 0, 1)  # d3 scale [0, 2] -> [1, 0], clamped
    strongest = np.argmax(np.abs(values), axis=1)  # the gaussian largest in absolute value
    return points, values[np.arange(n), strongest]


def moons(n: int, noise: float, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    half = n // 2
    t_top = rng.uniform(0, np.pi, half)
    t_bottom = rng.uniform(0, np.pi, n - half)
    top = np.stack([np.cos(t_top), np.sin(t_top)], axis=1)
    bottom = np.stack([1 - np.cos(t_bottom), 0.5 - np.sin(t_bottom)], axis=1)
    points = (np.concatenate([top, bottom]) - (0.5, 0.25)) * 3.2
    points += rng.normal(0, 1, (n, 2)) * noise * 2
    labels = np.concatenate([np.zeros(half), np.ones(n - half)]).astype(np.int64)
    return points, labels


def checkerboard(n: int, noise: float, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    points = rng.uniform(-6, 6, (n, 2))
    shifted = points + rng.uniform(-6, 6, (n, 2)) * noise
    cells = np.floor(shifted / 3).astype(np.int64)  # a 4 × 4 board of 3 × 3 squares
    return points, ((cells[:, 0] + cells[:, 1]) % 2).astype(np.int64)


def blobs(k: int) -> Generator:
    """k Gaussian blobs on a circle of radius 4, one class each."""

    def generate(n: int, noise: float, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
        labels = np.arange(n) % k
        angles = 2 * np.pi * labels / k + np.pi / 2
        centres = 4 * np.stack([np.cos(angles), np.sin(angles)], axis=1)
        return centres + rng.normal(0, 0.6 + noise * 4, (n, 2)), labels.astype(np.int64)

    return generate


def spiral_arms(k: int) -> Generator:
    """A spiral with k arms, one class each."""

    def generate(n: int, noise: float, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
        sizes = [n // k + (1 if i < n % k else 0) for i in range(k)]
        arms = [_spiral_arm(size, 2 * np.pi * i / k, noise, rng) for i, size in enumerate(sizes)]
        labels = np.concatenate([np.full(size, i) for i, size in enumerate(sizes)])
        return np.concatenate(arms), labels.astype(np.int64)

    return generate
