/** Dedup keys: how an article is known across feeds and the content folder. */
import { describe, expect, it } from "vitest";
import { canonicalUrl, dedupKeys, titleKey } from "../../src/content/article-keys.js";

describe("dedup keys", () => {
  it("canonical links ignore tracking, fragments, www and trailing slashes; titles ignore case, diacritics and punctuation", () => {
    expect(canonicalUrl("http://www.G4Media.ro/a/b/?utm_source=rss&id=3#comments")).toBe("https://g4media.ro/a/b?id=3");
    expect(canonicalUrl("https://g4media.ro/a/b")).toBe("https://g4media.ro/a/b");
    expect(titleKey("Belarusul și Iranul: acord!")).toBe(titleKey("belarusul şi iranul acord"));
    expect(titleKey("Live")).toBeNull();
    expect(
      dedupKeys({ guid: "123", urls: ["https://e.ro/x"], title: "Un titlu destul de lung", feedUrl: "https://e.ro/feed" }),
    ).toEqual([
      "guid:https://e.ro/feed#123",
      "url:https://e.ro/x",
      `title:e.ro:${titleKey("Un titlu destul de lung")!.slice("title:".length)}`,
    ]);
    // A URL guid is a link key, shared across feeds.
    expect(dedupKeys({ guid: "https://e.ro/x", title: "ab" })).toEqual(["url:https://e.ro/x"]);
  });
});
