# Build stage: install the sandbox into a virtual environment.
FROM python:3.11-slim AS build
WORKDIR /src
RUN python -m venv /opt/venv
ENV PATH=/opt/venv/bin:$PATH
COPY pyproject.toml README.md ./
COPY mockserver ./mockserver
COPY specs ./specs
COPY seed_data ./seed_data
RUN pip install --no-cache-dir .

# Runtime: slim, non-root, gunicorn (gevent workers) via `mockserver serve`.
FROM python:3.11-slim
RUN useradd --create-home --uid 10001 sandbox
COPY --from=build /opt/venv /opt/venv
ENV PATH=/opt/venv/bin:$PATH \
    PYTHONUNBUFFERED=1 \
    MOCKSERVER_HOST=0.0.0.0 \
    MOCKSERVER_PORT=8080 \
    # a container must listen beyond loopback; set MOCKSERVER_CONTROL_TOKEN to protect the
    # control API (without one the server starts with a warning saying what is exposed)
    MOCKSERVER_ALLOW_OPEN_CONTROL=1
USER sandbox
EXPOSE 8080
# `mockserver health` reads the same MOCKSERVER_* variables as the server (port, control token),
# so the check follows `docker run -e MOCKSERVER_PORT=... -e MOCKSERVER_CONTROL_TOKEN=...`
HEALTHCHECK --interval=10s --timeout=3s --start-period=5s --retries=3 \
  CMD ["mockserver", "health", "--timeout", "2"]
CMD ["mockserver", "serve"]
