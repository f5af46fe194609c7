/**
 * The CLI as a user runs it: a child process, JSON on stdout, logs on stderr.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

const BIN = join(process.cwd(), "bin", "citat.js");
/** Each run keeps its state (the persisted index) out of the repository. */
const DATA_DIR = mkdtempSync(join(tmpdir(), "citat-cli-data-"));

function citat(args: string[], input?: string) {
  const r = spawnSync(process.execPath, [BIN, ...args], {
    input,
    encoding: "utf8",
    env: { ...process.env, CONTENT_DIR: "content", DATA_DIR, LOG_LEVEL: "warn" },
    timeout: 30_000,
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe("citat ask", () => {
  it("--json prints exactly one JSON object with the answer and its source", () => {
    const r = citat(["ask", "--json", "Ce tratat vor să încheie Belarusul și Iranul?"]);
    expect(r.code).toBe(0);
    const lines = r.stdout.trim().split("\n");
    expect(lines).toHaveLength(1);
    const json = JSON.parse(lines[0] as string);
    expect(json.question).toBe("Ce tratat vor să încheie Belarusul și Iranul?");
    expect(json.found).toBe(true);
    expect(json.answers[0].quote).toContain("tratat de parteneriat strategic");
    expect(json.answers[0].article).toEqual({
      id: "g4media-2025-08-20-belarus-iran",
      title: "Ţări prietene cu Rusia, Belarusul şi Iranul vor să-şi consolideze legăturile, inclusiv în privinţa apărării",
      date: "2025-08-20",
      url: null,
      source: "G4Media",
    });
    expect(typeof json.answers[0].score).toBe("number");
  }, 30_000);

  it("reads one question per line from stdin and prints one JSON object per line", () => {
    const r = citat(["ask", "--json"], "ce a zis lukasenko despre subiecte inchise\n\nCare este rețeta de sarmale a bunicii?\n");
    expect(r.code).toBe(0);
    const answers = r.stdout
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l));
    expect(answers).toHaveLength(2);
    expect(answers[0].answers[0].quote).toContain("subiecte închise");
    expect(answers[1]).toEqual({ question: "Care este rețeta de sarmale a bunicii?", found: false, answers: [] });
  }, 30_000);

  it("prints a readable answer without --json, and --content overrides the folder", () => {
    const dir = mkdtempSync(join(tmpdir(), "citat-cli-"));
    writeFileSync(
      join(dir, "a.jsonl"),
      `${JSON.stringify({ title: "Vremea", body: "Ninge abundent la Brașov de două zile.", date: "2026-01-05", source: "Test" })}\nnot json\n`,
    );
    const r = citat(["ask", "--content", dir, "unde ninge"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("Ninge abundent la Brașov");
    expect(r.stdout).toContain("Test · 5 ian. 2026 · Vremea");
    expect(r.stderr).toContain("a.jsonl:2");
  }, 30_000);

  it("caps a question's length as the bot does, and says so on stderr", () => {
    const long = `Ce tratat vor să încheie Belarusul și Iranul? ${"și altceva ".repeat(10_000)}`;
    const r = citat(["ask", "--json", long]);
    expect(r.code).toBe(0);
    const json = JSON.parse(r.stdout.trim()) as { question: string };
    expect(json.question.length).toBeLessThanOrEqual(200);
    expect(json.question.startsWith("Ce tratat vor să încheie Belarusul și Iranul?")).toBe(true);
    expect(r.stderr).toMatch(/question shortened to 200 characters/);
    const piped = citat(["ask", "--json"], `${long}\n`);
    expect((JSON.parse(piped.stdout.trim()) as { question: string }).question).toBe(json.question);
  }, 60_000);

  it("explains its usage on a wrong command", () => {
    const r = citat(["tell"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("Usage: citat ask");
  }, 30_000);
});
