"""A data set from a CSV file: checked cell by cell, then registered whole (or not at all)."""

import csv
import io
import secrets
from typing import Literal

import numpy as np

from app.datasets.registry import DatasetInfo, register_rows
from app.errors import SpecError

MAX_CLASSES = 50
# Python's csv module refuses longer cells; said as a 422, not a crash.
MAX_CELL = csv.field_size_limit()


def _decode(data: bytes) -> str:
    for encoding in ("utf-8-sig", "cp949"):  # UTF-8 (with or without BOM), or Korean Excel's
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise SpecError("file", code="not_text")


def _number(cell: str) -> float | None:
    try:
        value = float(cell)
    except ValueError:
        return None
    return value if np.isfinite(value) else None


def parse(
    data: bytes,
    label: str,
    task: Literal["classification", "regression"] | None,
    max_rows: int,
    max_columns: int,
    *,
    owner: str | None = None,
    dataset_name: str | None = None,
) -> DatasetInfo:
    """Check a CSV cell by cell and register it whole, under `name` (a new unguessable one by
    default), visible to `owner` only."""
    text = _decode(data).strip()
    if not text:
        raise SpecError("file", code="file_empty")
    try:
        dialect = csv.Sniffer().sniff(text.splitlines()[0][:MAX_CELL], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    try:
        rows = [row for row in csv.reader(io.StringIO(text), dialect) if any(cell.strip() for cell in row)]
    except csv.Error as exc:
        if "field larger than field limit" in str(exc):
            raise SpecError("file", code="cell_too_long", params={"limit": MAX_CELL}) from exc
        raise SpecError("file", code="bad_csv", params={"reason": str(exc)}) from exc
    if not rows:
        raise SpecError("file", code="file_empty")
    header = [cell.strip() for cell in rows[0]]
    body = rows[1:]
    if len(header) > max_columns:
        raise SpecError("file", code="too_many_columns", params={"count": len(header), "limit": max_columns})
    if len(body) > max_rows:
        raise SpecError("file", code="too_many_rows", params={"count": len(body), "limit": max_rows})
    if not body:
        raise SpecError("file", code="no_data_rows")
    if any(not name for name in header) or len(set(header)) != len(header):
        raise SpecError("file", code="bad_header")
    if label not in header:
        raise SpecError("label", code="unknown_column", params={"name": label, "available": ", ".join(header)})
    if len(header) < 2:
        raise SpecError("file", code="no_feature_columns")
    target = header.index(label)
    features = [name for name in header if name != label]
    x = np.zeros((len(body), len(features)), dtype=np.float32)
    labels: list[str] = []
    for r, row in enumerate(body, start=2):  # row numbers as a spreadsheet shows them
        if len(row) != len(header):
            raise SpecError("file", code="ragged_row", params={"row": r, "count": len(row), "expected": len(header)})
        cells = [cell.strip() for cell in row]
        labels.append(cells[target])
        for c, (name, cell) in enumerate((n, v) for n, v in zip(header, cells, strict=True) if n != label):
            value = _number(cell)
            if value is None:
                raise SpecError("file", code="not_a_number", params={"row": r, "column": name, "value": repr(cell)})
            x[r - 2, c] = value
    if any(not value for value in labels):
        raise SpecError("file", code="empty_labels", params={"name": label})
    numeric = [_number(value) for value in labels]
    all_numeric = all(v is not None for v in numeric)
    integral = all_numeric and all(float(v).is_integer() for v in numeric)  # type: ignore[arg-type]
    inferred = "classification" if not all_numeric or (integral and len(set(labels)) <= 20) else "regression"
    task = task or inferred  # type: ignore[assignment]
    if task == "regression":
        if not all_numeric:
            bad = next(v for v, n in zip(labels, numeric, strict=True) if n is None)
            raise SpecError("task", code="labels_not_numeric", params={"name": label, "value": repr(bad)})
        y = np.array(numeric, dtype=np.float32)
        classes: tuple[str, ...] = ()
    else:
        ordered = sorted(set(labels), key=lambda v: (float(v), v) if all_numeric else (0.0, v))
        if len(ordered) < 2:
            raise SpecError("label", code="one_class", params={"name": label})
        if len(ordered) > MAX_CLASSES:
            raise SpecError(
                "label", code="too_many_classes", params={"name": label, "count": len(ordered), "limit": MAX_CLASSES}
            )
        index = {value: i for i, value in enumerate(ordered)}
        y = np.array([index[v] for v in labels], dtype=np.int64)
        classes = tuple(ordered)
    name = dataset_name or f"upload_{secrets.token_urlsafe(9)}"
    info = DatasetInfo(
        name,
        task,  # type: ignore[arg-type]
        len(classes),
        f"uploaded: {len(body)} rows, {len(features)} features, label '{label}'",
        "upload",
        tuple(features),
        len(body),
        0.8,
        class_names=classes,
        owner=owner,
    )
    register_rows(info, x, y)  # the rows first, then the name that finds them: nothing half-stored
    return info
