"""Small fixed data sets from the course material, exact values."""

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class Table:
    x: np.ndarray
    y: np.ndarray
    feature_names: tuple[str, ...]
    class_names: tuple[str, ...]  # empty for regression
    description: str
    test_is_train: bool = False  # the course tests on the training rows themselves
    # Names of the columns of y when a row has several targets (y of shape [n, k]); empty for one.
    target_names: tuple[str, ...] = ()


EXAM_X = np.array([[73, 80, 75], [93, 88, 93], [89, 91, 90], [96, 98, 100], [73, 66, 70]], dtype=np.float32)
HOURS = np.arange(1, 11, dtype=np.float32)[:, None]

TABLES: dict[str, Table] = {
    "study_hours": Table(HOURS, 20 * HOURS[:, 0], ("hours",), (), "study hours 1..10 → exam score = 20 × hours"),
    "study_hours_noisy": Table(
        HOURS,
        np.array([18, 39, 61, 77, 105, 112, 128, 165, 181, 195], dtype=np.float32),
        ("hours",),
        (),
        "study hours 1..10 → measured exam scores (with noise)",
    ),
    "x_plus_2": Table(
        np.arange(1, 7, dtype=np.float32)[:, None],
        np.arange(3, 9, dtype=np.float32),
        ("x",),
        (),
        "inputs 1..6 → targets 3..8 (target = input + 2)",
    ),
    "hours_attendance": Table(
        np.array([[10, 5], [9, 5], [3, 2], [2, 4], [11, 1]], dtype=np.float32),
        np.array([90, 80, 50, 60, 40], dtype=np.float32),
        ("hours", "attendance"),
        (),
        "study hours and attendance → exam score",
    ),
    "exam_scores": Table(
        EXAM_X,
        np.array([152, 185, 180, 196, 142], dtype=np.float32),
        ("quiz1", "quiz2", "midterm"),
        (),
        "quiz 1, quiz 2 and midterm → final exam score",
    ),
    # H(X) = XW with two outputs, [n, 3] × [3, 2] = [n, 2]: the course's final scores and, as a second
    # target, the sum of the three inputs (not from the course: a column W can learn exactly, [1, 1, 1]).
    "exam_scores_two": Table(
        EXAM_X,
        np.stack([[152, 185, 180, 196, 142], EXAM_X.sum(axis=1)], axis=1).astype(np.float32),
        ("quiz1", "quiz2", "midterm"),
        (),
        "quiz 1, quiz 2 and midterm → two outputs: the final exam score and the total of the three",
        target_names=("final", "total"),
    ),
    "grades": Table(
        np.array([[10, 5], [9, 5], [3, 2], [2, 4], [11, 1]], dtype=np.float32),
        np.array([0, 0, 1, 1, 2]),
        ("hours", "attendance"),
        ("A", "B", "C"),
        "study hours and attendance → grade A, B or C",
    ),
    "xor_table": Table(
        np.array([[0, 0], [0, 1], [1, 0], [1, 1]], dtype=np.float32),
        np.array([0, 1, 1, 0]),
        ("x1", "x2"),
        ("0", "1"),
        "XOR truth table: four rows; the test set is the same four rows",
        test_is_train=True,
    ),
}
