/**
 * Romanian outlets Citat recognises when an article does not say where it comes from: by the
 * URL's domain or by the file name's prefix ("g4media-2025-08-20-…"). Mentions inside the
 * text are deliberately not used: an article that "informează Reuters" is not a Reuters article.
 */
interface Outlet {
  readonly name: string;
  /** Domains (without "www.") and file-name prefixes that identify it. */
  readonly keys: readonly string[];
}

const OUTLETS: readonly Outlet[] = [
  { name: "G4Media", keys: ["g4media.ro", "g4media"] },
  { name: "Digi24", keys: ["digi24.ro", "digi24", "digi"] },
  { name: "HotNews", keys: ["hotnews.ro", "hotnews"] },
  { name: "Libertatea", keys: ["libertatea.ro", "libertatea"] },
  { name: "Adevărul", keys: ["adevarul.ro", "adevarul"] },
  { name: "Agerpres", keys: ["agerpres.ro", "agerpres"] },
  { name: "Mediafax", keys: ["mediafax.ro", "mediafax"] },
  { name: "News.ro", keys: ["news.ro", "newsro"] },
  { name: "Antena 1", keys: ["a1.ro", "antena1"] },
  { name: "Observator", keys: ["observatornews.ro", "observator"] },
  { name: "Antena 3 CNN", keys: ["antena3.ro", "antena3"] },
  { name: "Știrile ProTV", keys: ["stirileprotv.ro", "protv"] },
  { name: "Europa Liberă România", keys: ["romania.europalibera.org", "europalibera"] },
  { name: "Recorder", keys: ["recorder.ro", "recorder"] },
  { name: "Spotmedia", keys: ["spotmedia.ro", "spotmedia"] },
  { name: "Ziarul Financiar", keys: ["zf.ro", "zf"] },
  { name: "Gândul", keys: ["gandul.ro", "gandul"] },
  { name: "Euronews România", keys: ["euronews.ro"] },
  { name: "Viva", keys: ["viva.ro", "viva"] },
];

/** The names of the outlets Citat knows (for `/subscribe <outlet>`). */
export function knownOutletNames(): string[] {
  return OUTLETS.map((o) => o.name);
}

/** The outlet whose domain serves this URL, or null. */
export function outletFromUrl(url: string | null): string | null {
  if (!url) return null;
  let host: string;
  try {
    host = new URL(url).hostname.toLowerCase().replace(/^www\./, "");
  } catch {
    return null;
  }
  const hit = OUTLETS.find((o) => o.keys.some((k) => k.includes(".") && (host === k || host.endsWith(`.${k}`))));
  return hit?.name ?? null;
}

/** The outlet named by a file name's first dash-separated word ("g4media-2025-…"), or null. */
export function outletFromFileName(fileName: string): string | null {
  const base = fileName.toLowerCase().replace(/^.*[\\/]/, "");
  const prefix = base.split(/[-_.]/)[0] ?? "";
  const hit = OUTLETS.find((o) => o.keys.includes(prefix));
  return hit?.name ?? null;
}
