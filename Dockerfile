# precert-intake image: API, worker and watcher run from the same image with different commands.
FROM python:3.11-slim-bookworm
RUN apt-get update \
 && apt-get install -y --no-install-recommends tesseract-ocr tesseract-ocr-eng tesseract-ocr-osd \
 && rm -rf /var/lib/apt/lists/*
RUN useradd --create-home --uid 10001 precert
WORKDIR /app
COPY pyproject.toml README.md ./
COPY extractors ./extractors
COPY packet_builder ./packet_builder
COPY intake ./intake
RUN pip install --no-cache-dir ".[postgres]"
USER precert
ENV PRECERT_DATA_DIR=/home/precert/data
EXPOSE 8000
CMD ["precert", "serve", "--host", "0.0.0.0", "--port", "8000"]
