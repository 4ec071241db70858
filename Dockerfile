# The app on the Node 22 LTS image; Meilisearch runs as its own service (docker-compose.yml).
FROM node:22-bookworm-slim
WORKDIR /app
RUN apt-get update && apt-get install -y --no-install-recommends python3 make g++ && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --include=optional && npm cache clean --force
COPY src ./src
COPY ingest ./ingest
COPY views ./views
COPY fixtures/demo ./fixtures/demo
ENV NODE_ENV=production DATA_DIR=/data PORT=3000
EXPOSE 3000
VOLUME ["/data"]
CMD ["node", "--import", "tsx", "src/main.ts"]
