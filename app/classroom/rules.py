"""A class's rules applied to a run spec: each broken rule is a 422 naming the field."""

from app.errors import SpecError
from app.schemas.classroom import ClassSettings
from app.schemas.runs import RunCreate


def check(rules: ClassSettings, spec: RunCreate, allowed_extra: set[str]) -> None:
    """`allowed_extra`: data-set names the class may use besides its list (its challenges')."""
    name = spec.dataset.name
    if rules.datasets is not None and name not in rules.datasets and name not in allowed_extra:
        raise SpecError("dataset.name", code="class_datasets", params={"allowed": ", ".join(rules.datasets)})
    for step in spec.model.steps:
        layer = step.layer
        if rules.layers is not None and layer.type not in rules.layers:
            raise SpecError(f"{step.where}.type", code="class_layers", params={"allowed": ", ".join(rules.layers)})
        size = getattr(layer, "units", None) or getattr(layer, "filters", None)
        if rules.max_units is not None and size is not None and size > rules.max_units:
            field = "units" if getattr(layer, "units", None) else "filters"
            raise SpecError(
                f"{step.where}.{field}", code="class_limit", params={"value": size, "limit": rules.max_units}
            )
    if rules.max_epochs is not None and spec.fit.epochs > rules.max_epochs:
        raise SpecError("fit.epochs", code="class_limit", params={"value": spec.fit.epochs, "limit": rules.max_epochs})
