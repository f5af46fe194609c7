# Sample image for docker-compose.yml (not built here: no Docker engine was available).
FROM node:20-bookworm
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund
COPY . .
ENV CONTENT_DIR=/app/content DATA_DIR=/app/data
CMD ["npm", "start"]
