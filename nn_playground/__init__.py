"""A Python client for the neural-network playground's API, for notebooks and scripts.

    from nn_playground import Playground
    pg = Playground("http://192.168.1.23:8000")
    run = pg.run(preset="xor-hidden-layer")
    run.watch()                      # a progress bar until it ends
    model = run.model()              # the trained keras.Model

It needs only httpx, websockets and tqdm (keras for `Run.model`, pandas for `upload_dataframe`);
it imports nothing of the server, so it works against a classroom server from any machine.
"""

from nn_playground.client import FINISHED, Playground, PlaygroundError, Run

__all__ = ["FINISHED", "Playground", "PlaygroundError", "Run"]
