# syntax=docker/dockerfile:1
# image-api-mocks: all five mock APIs on port 8080, store on the /data volume.
# Every CLI command works in the image: serve (the default), record,
# record import and drift (its deliberate differences are in drift/).

# Build: compile the sources, then cut node_modules down to what runs.
FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund --ignore-scripts
COPY tsconfig.json tsconfig.build.json rolldown.config.mjs ./
COPY src ./src
COPY schemas ./schemas
COPY fixtures ./fixtures
# No source maps or declarations: nothing in the image reads them. As
# `npm run build` does, the schemas' validators are precompiled, the sections
# seeded for the default seed, and the entry point is bundled into one file
# (start-up time).
RUN npx tsc -p tsconfig.build.json --sourceMap false --declaration false \
  && node dist/validation/precompile.js \
  && node dist/store/precompute-seeds.js \
  && npx rolldown -c && rm dist/main.js.map
# Production dependencies only, without type declarations, source maps and
# docs (the published package depends on @types/express for its own .d.ts).
RUN npm prune --omit=dev --no-audit --no-fund \
  && rm -rf node_modules/@types node_modules/.package-lock.json \
  && find node_modules -type f \( -name '*.d.ts' -o -name '*.d.mts' -o -name '*.d.cts' -o -name '*.map' \
       -o -name '*.md' -o -name '*.markdown' \) -delete

FROM node:20-bookworm-slim AS runtime
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=8080 \
    MOCK_STORE=/data
WORKDIR /app
COPY package.json ./
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY fixtures ./fixtures
COPY schemas ./schemas
COPY public ./public
COPY drift ./drift
# The store volume must be writable by the unprivileged user the server runs as.
RUN mkdir -p /data && chown node:node /data
USER node
VOLUME ["/data"]
EXPOSE 8080
HEALTHCHECK --interval=5s --timeout=3s --start-period=5s --retries=10 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 8080) + '/__admin/ready').then(r => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
CMD ["node", "dist/main.js"]
