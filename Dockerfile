# The page's browser libraries (static/package.json) from the npm registry, in a build stage,
# so the image itself needs no Node and serves every asset with no internet.
FROM python:3.11-slim AS browser-libs
RUN apt-get update && apt-get install -y --no-install-recommends nodejs npm && rm -rf /var/lib/apt/lists/*
WORKDIR /static
COPY static/package.json static/package-lock.json ./
RUN npm ci --no-audit --no-fund

# CPU TensorFlow; the same install step as the README; serves on 0.0.0.0:8000 with no internet.
FROM python:3.11-slim

WORKDIR /app
COPY pyproject.toml README.md ./
COPY app ./app
COPY static ./static
COPY --from=browser-libs /static/node_modules ./static/node_modules
COPY templates ./templates
RUN pip install --no-cache-dir -e .

ENV PLAYGROUND_HOST=0.0.0.0 \
    PLAYGROUND_PORT=8000 \
    PLAYGROUND_DATA_DIR=/data
VOLUME /data
EXPOSE 8000
CMD ["nn-playground"]
