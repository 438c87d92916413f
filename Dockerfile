# CPU TensorFlow; the same install step as the README; serves on 0.0.0.0:8000 with no internet.
FROM python:3.11-slim

WORKDIR /app
COPY pyproject.toml README.md ./
COPY app ./app
COPY static ./static
COPY templates ./templates
RUN pip install --no-cache-dir -e .

ENV PLAYGROUND_HOST=0.0.0.0 \
    PLAYGROUND_PORT=8000 \
    PLAYGROUND_DATA_DIR=/data
VOLUME /data
EXPOSE 8000
CMD ["nn-playground"]
