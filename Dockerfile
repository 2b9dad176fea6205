# Hush as a container image (docs/deploy.md, "Docker").
#
#   docker build -t hush .
#   docker run -p 8080:8080 -v hush:/data hush
#
# No environment is required: the image serves on SQLite in the volume /data, listens on every
# interface of the container, and keeps the keys it needs there (made on first start). It runs as
# an unprivileged user and works with --read-only. The base is a build argument so that machines
# without a registry can build on a stand-in (deploy/docker/standin-base.sh).
ARG NODE_IMAGE=node:20-bookworm-slim

# --- build: compile the native SQLite module and the pages, then drop the development packages ---
FROM ${NODE_IMAGE} AS build
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 make g++ \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /src
# Node's headers ship in the image: node-gyp builds against them instead of downloading them.
ENV npm_config_nodedir=/usr/local
COPY package.json package-lock.json .npmrc ./
# The project's .npmrc turns install scripts off; better-sqlite3's is the one build that runs,
# from source. This layer is reused until the lock file changes.
# Only the compiled module is kept of that build: its sources and objects are 27 MB.
RUN npm install --no-audit --no-fund \
 && npm rebuild better-sqlite3 --ignore-scripts=false --foreground-scripts=false \
 && cd node_modules/better-sqlite3 \
 && mv build/Release/better_sqlite3.node . \
 && rm -rf build deps src \
 && mkdir -p build/Release \
 && mv better_sqlite3.node build/Release/
COPY tsconfig*.json ./
COPY scripts ./scripts
COPY bin ./bin
COPY docs ./docs
COPY src ./src
RUN npm run build \
 && npm prune --omit=dev --no-audit --no-fund

# --- runtime: Node, the built code and the production packages; nothing else ---
FROM ${NODE_IMAGE}
ENV NODE_ENV=production \
    HUSH_HOST=0.0.0.0 \
    HUSH_STORE=sqlite:/data/hush.db
WORKDIR /app
COPY --from=build /src/package.json ./
COPY --from=build /src/node_modules ./node_modules
COPY --from=build /src/bin ./bin
COPY --from=build /src/dist ./dist
# The code stays root's and read-only to the server's user; /data is the one place it writes.
RUN mkdir /data && chown 10001:10001 /data && chmod 0700 /data \
 && ln -s /app/bin/hush.js /usr/local/bin/hush
USER 10001:10001
VOLUME /data
# The public listener. The admin listener (metrics, /healthz, /readyz) stays on the container's
# 127.0.0.1:8081 unless HUSH_ADMIN_HOST says otherwise (Kubernetes probes: deploy/kubernetes/).
EXPOSE 8080
HEALTHCHECK --interval=10s --timeout=5s --start-period=20s --retries=3 \
  CMD ["node", "/app/dist/server/healthcheck.js"]
# SIGTERM (docker stop) drains: the listeners stop accepting, requests in flight finish, the store
# closes, the process exits 0. Node is PID 1 here and handles the signal itself.
STOPSIGNAL SIGTERM
CMD ["node", "--max-semi-space-size=8", "dist/server/main.js"]
