/** Small inline articles shared by the passage-index and index-store tests. */
import type { Article } from "../../src/content/article.js";

export const article = (id: string, body: string, extra: Partial<Article> = {}): Article => ({
  id,
  title: `Titlu ${id}`,
  date: "2025-08-01",
  url: null,
  source: null,
  body,
  ...extra,
});

export const BUGET = article(
  "buget",
  "Guvernul a aprobat bugetul pe 2026. Deficitul va scădea.\n\nMinistrul Finanțelor a prezentat cifrele.",
);
export const INUNDATII = article("inundatii", "Apele Dunării au crescut la Galați.\n\nAu fost evacuați 200 de oameni din sate.");
