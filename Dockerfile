# Keyflow: multi-stage build. The build stage runs the same command as `npm run build`
# (deploy/commands.mjs; server/test/production-build.test.ts checks these lines against it);
# the runtime stage holds only build/: compiled JavaScript, the built editor and production
# dependencies. No secret is baked in: pass DATABASE_URL, REDIS_URL and
# KEYFLOW_ENCRYPTION_KEYS at run time (see docs/deploy.md).
FROM node:24.9.0-bookworm-slim AS build
WORKDIR /src
COPY . .
RUN node scripts/run.mjs build

FROM node:24.9.0-bookworm-slim AS runtime
# pg_dump/pg_restore for `keyflow backup|restore` (match the server's major version).
RUN apt-get update && apt-get install -y --no-install-recommends postgresql-client-15 && rm -rf /var/lib/apt/lists/*
RUN useradd --system --uid 10001 --user-group --home-dir /app --shell /usr/sbin/nologin keyflow && mkdir -p /data && chown keyflow:keyflow /data
WORKDIR /app
COPY --from=build --chown=root:root /src/build /app
ENV NODE_ENV=production HOST=0.0.0.0 PORT=3000 KEYFLOW_DATA_DIR=/data
USER keyflow
EXPOSE 3000
HEALTHCHECK --interval=15s --timeout=5s --start-period=30s --retries=3 CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/readyz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
ENTRYPOINT ["bin/keyflow"]
CMD ["start"]
