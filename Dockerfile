# syntax=docker/dockerfile:1
# Tessera's image (issue #22): production dependencies installed from the npm lockfile in a build stage, then the
# Bun runtime as the unprivileged `bun` user (the code stays root's: read-only to it), with no dev dependencies,
# tests or sources other than the server's.
ARG BUN_VERSION=1.4.4

FROM node:22-bookworm-slim AS deps
WORKDIR /app
COPY package.json package-lock.json ./
# npm workspaces: the SDK packages' manifests are part of the lockfile's tree.
COPY src/sdk/backend/package.json src/sdk/backend/
COPY src/sdk/js/package.json src/sdk/js/
COPY src/sdk/react/package.json src/sdk/react/
COPY src/sdk/shared/package.json src/sdk/shared/
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund

FROM oven/bun:${BUN_VERSION}-slim AS runtime
WORKDIR /app
ENV NODE_ENV=production \
    PORT=3000 \
    DATA_DIR=/data
COPY --from=deps /app/node_modules ./node_modules
COPY package.json tsconfig.json ./
COPY src ./src
COPY machines ./machines
COPY workers ./workers
COPY migrations ./migrations
# DATA_DIR is used only without DATABASE_URL (embedded PGlite, generated keys): a volume the user can write.
RUN mkdir -p /data && chown bun:bun /data
VOLUME ["/data"]
USER bun
EXPOSE 3000
HEALTHCHECK --interval=10s --timeout=3s --start-period=30s --retries=3 \
  CMD ["bun", "-e", "const r = await fetch(`http://127.0.0.1:${process.env.PORT ?? 3000}/health`); process.exit(r.ok ? 0 : 1)"]
CMD ["bun", "src/main.ts"]
