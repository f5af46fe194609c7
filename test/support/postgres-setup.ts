/**
 * vitest global setup: says once whether the Postgres suites run. Without
 * CITAT_TEST_DATABASE_URL they skip — except in CI (CI=true), where that is an error: CI
 * must test both backends (.ci/run starts a server).
 */
export default function setup(): void {
  const url = process.env.CITAT_TEST_DATABASE_URL?.trim();
  if (url) return;
  if (process.env.CI === "true" || process.env.CI === "1") {
    throw new Error(
      "CI=true but CITAT_TEST_DATABASE_URL is not set: the Postgres suites must run in CI (see .ci/run and scripts/pg-cluster.sh)",
    );
  }
  process.stderr.write(
    '[citat tests] Postgres suites SKIPPED: CITAT_TEST_DATABASE_URL is not set (start a server with: eval "$(scripts/pg-cluster.sh start)")\n',
  );
}
