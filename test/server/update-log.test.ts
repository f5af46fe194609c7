import { afterEach, describe, expect, it } from "vitest";
import { SqlUpdateLog, UPDATE_LOG_RETENTION_MS } from "../../src/server/update-log.js";
import { BACKENDS, type OpenedStorage } from "../support/backends.js";

for (const backend of BACKENDS) {
  describe.skipIf(!backend.available)(`SqlUpdateLog on ${backend.name}`, () => {
    let opened: OpenedStorage | undefined;
    afterEach(async () => {
      await opened?.dispose();
      opened = undefined;
    });

    it("claims an update_id once; a re-send is refused", async () => {
      opened = await backend.open();
      const log = new SqlUpdateLog(opened.storage.db);
      expect(await log.claim(10)).toBe(true);
      expect(await log.claim(11)).toBe(true);
      expect(await log.claim(10)).toBe(false);
      expect(await log.claim(11)).toBe(false);
      // Another instance on the same database sees the same claims.
      expect(await new SqlUpdateLog(opened.storage.db).claim(10)).toBe(false);
    });

    it("forgets ids older than the retention, pruning as it claims", async () => {
      opened = await backend.open();
      let now = 1_000_000_000;
      const log = new SqlUpdateLog(opened.storage.db, { now: () => now });
      expect(await log.claim(1)).toBe(true);
      now += UPDATE_LOG_RETENTION_MS + 60 * 60_000;
      expect(await log.claim(2)).toBe(true);
      const ids = (
        await opened.storage.db.all<{ update_id: number }>("SELECT update_id FROM webhook_updates ORDER BY update_id")
      ).map((r) => Number(r.update_id));
      expect(ids).toEqual([2]);
    });
  });
}
