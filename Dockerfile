# The classroom server: CPU TensorFlow, every page asset served by the app, no internet at run
# time, an unprivileged user (uid 1000) that owns /data. See README, "Docker".
#
# The base is pinned to Python 3.11 on Debian 12 (bookworm), the Python the lock files are made
# for. To pin it by digest too, build with
#   --build-arg PYTHON_IMAGE=python:3.11-slim-bookworm@sha256:<digest of the image you pulled>
# (`docker inspect --format '{{index .RepoDigests 0}}' python:3.11-slim-bookworm` prints it).
ARG PYTHON_IMAGE=python:3.11-slim-bookworm

# Build stage 1: the page's browser libraries (static/package.json) from the npm registry, so
# the image itself needs no Node. Only the packages the page names are kept (each ships a
# self-contained browser bundle; their own dependencies are for building them), without
# source maps.
FROM ${PYTHON_IMAGE} AS browser-libs
LABEL nn-playground.stage=build
RUN apt-get update && apt-get install -y --no-install-recommends nodejs npm && rm -rf /var/lib/apt/lists/*
WORKDIR /static
COPY static/package.json static/package-lock.json ./
COPY scripts/prune-node-modules.js /usr/local/lib/
RUN npm ci --no-audit --no-fund --omit=dev --loglevel=error && node /usr/local/lib/prune-node-modules.js .

# Build stage 2: the Python packages, exactly the versions of requirements.lock (hash-checked),
# in a virtualenv; then what the server never uses is dropped: TensorFlow's C++ headers (for
# compiling custom ops), the libraries' own test suites, the symbol tables of TensorFlow's
# shared libraries (strip keeps the dynamic symbols they link by), and pip.
FROM ${PYTHON_IMAGE} AS python-libs
LABEL nn-playground.stage=build
RUN apt-get update && apt-get install -y --no-install-recommends binutils && rm -rf /var/lib/apt/lists/*
ENV PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1
RUN python -m venv /opt/venv
COPY requirements.lock /tmp/
RUN /opt/venv/bin/pip install --require-hashes -r /tmp/requirements.lock
COPY scripts/slim-site-packages.sh /tmp/
RUN sh /tmp/slim-site-packages.sh /opt/venv

# The server.
FROM ${PYTHON_IMAGE}
RUN groupadd --gid 1000 playground \
    && useradd --uid 1000 --gid 1000 --create-home --home-dir /home/playground --shell /usr/sbin/nologin playground \
    && mkdir /data && chown 1000:1000 /data
COPY --from=python-libs /opt/venv /opt/venv
WORKDIR /app
COPY --from=browser-libs /static/node_modules ./static/node_modules
COPY templates ./templates
COPY static ./static
COPY app ./app
COPY scripts/docker-start.sh /usr/local/bin/nn-playground
# Compiled once here: the app's files belong to root, so the server could not cache them itself.
RUN chmod 755 /usr/local/bin/nn-playground && python -m compileall -q app

ENV PATH=/opt/venv/bin:$PATH \
    PYTHONPATH=/app \
    PYTHONUNBUFFERED=1 \
    HOME=/home/playground \
    PLAYGROUND_HOST=0.0.0.0 \
    PLAYGROUND_PORT=8000 \
    PLAYGROUND_DATA_DIR=/data
USER 1000:1000
VOLUME /data
EXPOSE 8000
# SIGTERM lets the server save training runs as interrupted (give it time: --stop-timeout 30).
STOPSIGNAL SIGTERM
HEALTHCHECK --interval=30s --timeout=10s --start-period=90s --retries=3 \
    CMD ["python", "-c", "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8000/api/health', timeout=5)"]
CMD ["nn-playground"]
