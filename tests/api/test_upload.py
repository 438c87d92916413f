"""POST /api/datasets: your own CSV becomes a data set; every bad file gets a clear 4xx."""

import httpx
import numpy as np
import pytest

from tests.helpers import dense, finished, wait_for


def _animals(rows: int = 101) -> str:
    """16 yes/no features → 7 classes, like the course's animal data set."""
    rng = np.random.default_rng(0)
    classes = rng.integers(1, 8, rows)
    prototypes = rng.integers(0, 2, (8, 16))
    features = np.where(rng.random((rows, 16)) < 0.1, 1 - prototypes[classes], prototypes[classes])
    header = ",".join([f"f{i}" for i in range(16)] + ["type"])
    return header + "\n" + "\n".join(",".join(map(str, [*f, c])) for f, c in zip(features, classes, strict=True))


def _post(client: httpx.Client, text: str, label: str, **form: str) -> httpx.Response:
    return client.post("/api/datasets", files={"file": ("data.csv", text.encode())}, data={"label": label, **form})


def test_an_animal_csv_trains(client: httpx.Client) -> None:
    response = _post(client, _animals(), "type")
    assert response.status_code == 201, response.text
    info = response.json()
    assert info["task"] == "classification" and info["n_features"] == 16 and info["n_classes"] == 7
    assert info["class_names"] == [str(i) for i in range(1, 8)] and info["rows"] == 101
    spec = {"dataset": {"name": info["name"]}, "model": {"layers": [dense(16, "relu"), dense(7, "softmax")]},
            "compile": {"loss": "sparse_categorical_crossentropy", "optimizer": {"type": "Adam", "learning_rate": 0.02},
                        "metrics": ["accuracy"]}, "fit": {"epochs": 150, "batch_size": 16}}  # fmt: skip
    done = wait_for(client, client.post("/api/runs", json=spec).json()["id"], finished)
    assert done["status"] == "done" and done["history"]["accuracy"][-1] > 0.8


def test_pasted_text_regression_and_task_override(client: httpx.Client) -> None:
    text = "hours;score\n1;20\n2;40.5\n3;61\n4;79\n"
    response = client.post("/api/datasets", data={"text": text, "label": "score"})
    assert response.status_code == 201, response.text
    assert response.json()["task"] == "regression" and response.json()["feature_names"] == ["hours"]
    grades = "hours,attendance,grade\n10,5,A\n9,5,A\n3,2,B\n2,4,B\n11,1,C\n"
    assert _post(client, grades, "grade").json()["class_names"] == ["A", "B", "C"]
    numbers = "x,y\n1,0\n2,1\n3,0\n4,1\n"
    assert _post(client, numbers, "y").json()["task"] == "classification"
    assert _post(client, numbers, "y", task="regression").json()["task"] == "regression"


def test_korean_excel_csv_in_cp949(client: httpx.Client) -> None:
    text = "공부시간,출석,학점\n10,5,가\n9,5,가\n3,2,나\n"
    response = _post_bytes(client, text.encode("cp949"), "학점")
    assert response.status_code == 201, response.text
    assert response.json()["class_names"] == ["가", "나"]


def _post_bytes(client: httpx.Client, data: bytes, label: str) -> httpx.Response:
    return client.post("/api/datasets", files={"file": ("data.csv", data)}, data={"label": label})


@pytest.mark.parametrize(
    ("content", "label", "field", "words"),
    [
        (b"", "y", "file", "empty"),
        (b"a,b,y\n", "y", "file", "no data rows"),
        (b"a,b,y\n1,2,0\n1,2\n", "y", "file", "row 3 has 2 cells"),
        (b"a,b,y\n1,2,0\n1,x2,1\n", "y", "file", "row 3, column 'b': 'x2' is not a number"),
        (b"a,b,y\n1,2,0\n", "label", "label", "no column named 'label'"),
        (b"a,a,y\n1,2,0\n3,4,1\n", "y", "file", "names must differ"),
        (b"a,y\n1,0\n2,0\n", "y", "label", "at least two classes"),
        (b"\xff\xfe\x00\x00\xff", "y", "file", "not text in UTF-8"),
    ],
    ids=["empty", "header-only", "ragged", "non-numeric", "no-label", "duplicate-names", "one-class", "encoding"],
)
def test_bad_files(client: httpx.Client, content: bytes, label: str, field: str, words: str) -> None:
    response = _post_bytes(client, content, label)
    assert response.status_code == 422, response.text
    assert response.json()["errors"][0]["field"] == field and words in response.json()["detail"]


def test_regression_override_needs_numbers_and_limits(client: httpx.Client) -> None:
    response = _post(client, "a,y\n1,A\n2,B\n", "y", task="regression")
    assert response.status_code == 422 and "numeric labels" in response.json()["detail"]
    wide = ",".join(f"c{i}" for i in range(300)) + "\n" + ",".join("1" for _ in range(300)) + "\n"
    assert "limit of 200" in _post(client, wide, "c0").json()["detail"]
    assert client.post("/api/datasets", data={"label": "y"}).status_code == 422  # neither file nor text
