"""A data set from a CSV file: checked cell by cell, then registered whole (or not at all)."""

import csv
import io
import secrets
from typing import Literal

import numpy as np

from app.datasets.registry import DatasetInfo, register_rows
from app.errors import SpecError

MAX_CLASSES = 50


def _decode(data: bytes) -> str:
    for encoding in ("utf-8-sig", "cp949"):  # UTF-8 (with or without BOM), or Korean Excel's
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise SpecError(
        "file", "the file is not text in UTF-8 (or the Korean CP949 that Excel writes): save it as CSV UTF-8"
    )


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
        raise SpecError("file", "the file is empty")
    try:
        dialect = csv.Sniffer().sniff(text.splitlines()[0], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    rows = [row for row in csv.reader(io.StringIO(text), dialect) if any(cell.strip() for cell in row)]
    header = [cell.strip() for cell in rows[0]]
    body = rows[1:]
    if len(header) > max_columns:
        raise SpecError("file", f"{len(header)} columns is more than the limit of {max_columns}")
    if len(body) > max_rows:
        raise SpecError("file", f"{len(body)} rows is more than the limit of {max_rows}")
    if not body:
        raise SpecError("file", "the file has a header row but no data rows")
    if any(not name for name in header) or len(set(header)) != len(header):
        raise SpecError("file", "every column needs a name, and names must differ (check the header row)")
    if label not in header:
        raise SpecError("label", f"there is no column named '{label}'; the columns are: {', '.join(header)}")
    if len(header) < 2:
        raise SpecError("file", "besides the label the file needs at least one feature column")
    target = header.index(label)
    features = [name for name in header if name != label]
    x = np.zeros((len(body), len(features)), dtype=np.float32)
    labels: list[str] = []
    for r, row in enumerate(body, start=2):  # row numbers as a spreadsheet shows them
        if len(row) != len(header):
            raise SpecError("file", f"row {r} has {len(row)} cells but the header has {len(header)}")
        cells = [cell.strip() for cell in row]
        labels.append(cells[target])
        for c, (name, cell) in enumerate((n, v) for n, v in zip(header, cells, strict=True) if n != label):
            value = _number(cell)
            if value is None:
                raise SpecError("file", f"row {r}, column '{name}': {cell!r} is not a number")
            x[r - 2, c] = value
    if any(not value for value in labels):
        raise SpecError("file", f"the label column '{label}' has empty cells")
    numeric = [_number(value) for value in labels]
    all_numeric = all(v is not None for v in numeric)
    integral = all_numeric and all(float(v).is_integer() for v in numeric)  # type: ignore[arg-type]
    inferred = "classification" if not all_numeric or (integral and len(set(labels)) <= 20) else "regression"
    task = task or inferred  # type: ignore[assignment]
    if task == "regression":
        if not all_numeric:
            bad = next(v for v, n in zip(labels, numeric, strict=True) if n is None)
            raise SpecError("task", f"regression needs numeric labels, but '{label}' has {bad!r}")
        y = np.array(numeric, dtype=np.float32)
        classes: tuple[str, ...] = ()
    else:
        ordered = sorted(set(labels), key=lambda v: (float(v), v) if all_numeric else (0.0, v))
        if len(ordered) < 2:
            raise SpecError("label", f"classification needs at least two classes; '{label}' has one")
        if len(ordered) > MAX_CLASSES:
            raise SpecError(
                "label", f"'{label}' has {len(ordered)} classes, more than {MAX_CLASSES}: is it a regression target?"
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
