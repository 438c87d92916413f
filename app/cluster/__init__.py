"""Training on a Ray cluster (PLAYGROUND_RAY_ADDRESS): trainer actors, one per node, each hosting
the in-process engine (a RunManager of its own) for its runs, and the web process's proxies for them.

Needs the `cluster` extra (ray); nothing here is imported unless PLAYGROUND_RAY_ADDRESS is set.
"""
