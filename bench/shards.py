"""What one shard's call costs, in-process (no server): the stack family against the graph family.

`python -m bench.shards [--runs 16]` compiles both families at 16 runs, fills each with that many
different networks inside TensorFlow Playground's envelope (stacks; residual graphs), and times
one call with no epochs (only the frames' maps: the 100 × 100 output grid and the 20 × 20 unit
maps) and one of 30 epochs, in rounds that alternate between the two (medians of 15 rounds). The
difference is the training cost per epoch; the zero-epoch call is what every turn pays besides.
Every figure comes from this one run; the ratios are the graph family's against the stack family's."""

import argparse
import statistics
import time
from collections.abc import Callable
from typing import Any

import numpy as np

from app.config import Settings
from app.engine.experiment import load_data
from app.engine.stack_program import StackProgram
from app.engine.stacks import Entry, make_batch, member_arrays, stack_run
from app.schemas.runs import RunCreate
from bench import setups

SETTINGS = Settings()


def _shard(make: Callable[[int], dict[str, Any]], runs: int) -> tuple[StackProgram, Any]:
    entries, stack = [], None
    for seed in range(runs):
        spec = RunCreate.model_validate(make(seed))
        data = load_data(spec.dataset, spec.seed)
        stack = stack_run(spec, data, SETTINGS)
        assert stack is not None and stack.family is not None, "outside the family"
        entries.append(Entry(stack, member_arrays(stack, data, stack.family), stack.initial_state(seed), seed))
    assert stack is not None and stack.family is not None
    program = StackProgram(stack.family, stack.training, runs)
    batch = make_batch(stack.family, runs, entries)
    program.compile(batch)
    return program, batch


def _call(program: StackProgram, batch: Any, runs: int, epochs: int) -> float:
    began = time.perf_counter()
    program.train(batch, np.zeros(runs, np.int32), np.full(runs, epochs, np.int32))
    return time.perf_counter() - began


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=16)
    parser.add_argument("--epochs", type=int, default=30)
    parser.add_argument("--rounds", type=int, default=15)
    args = parser.parse_args()
    families = (("stack family", setups.envelope), ("graph family", setups.residual_envelope))
    shards = [(name, *_shard(make, args.runs)) for name, make in families]
    # Rounds alternate between the families, so a load that comes and goes on a shared machine
    # weighs on both alike; each figure is the median over the rounds.
    zero: dict[str, list[float]] = {name: [] for name, _, _ in shards}
    full: dict[str, list[float]] = {name: [] for name, _, _ in shards}
    for _ in range(args.rounds):
        for name, program, batch in shards:
            zero[name].append(_call(program, batch, args.runs, 0))
            full[name].append(_call(program, batch, args.runs, args.epochs))
    rows = []
    for name, _, _ in shards:
        m, f = statistics.median(zero[name]), statistics.median(full[name])
        rows.append((name, m, (f - m) / args.epochs))
    base = rows[0]
    print(
        f"\n| a shard of {args.runs} different networks | one call's maps (0 epochs) | per epoch "
        "| maps vs stacks | epoch vs stacks |"
    )
    print("| --- | --- | --- | --- | --- |")
    for name, maps, epoch in rows:
        ratios = f"{maps / base[1]:.2f}× | {epoch / base[2]:.2f}×"
        print(f"| {name} | {maps * 1000:.0f} ms | {epoch * 1000:.1f} ms | {ratios} |")


if __name__ == "__main__":
    main()
