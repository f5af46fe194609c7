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

/**
 * Invented stories for the decline gate: each reports some facts about its people and not
 * others (the athlete's studies but not her grade, the mayor's bridge but not his salary).
 */
const story = (id: string, title: string, body: string): Article => ({
  id,
  title,
  date: "2025-06-01",
  url: `https://example.ro/${id}`,
  source: "Exemplu",
  body,
});

export const ATHLETE = story(
  "atleta",
  "Atleta Ioana Mureșan a câștigat campionatul național la sărituri",
  [
    "Ioana Mureșan a câștigat sâmbătă titlul național la săritura în lungime, la Pitești.",
    "Sportiva de 19 ani studiază la Facultatea de Educație Fizică din Cluj-Napoca. Ea a dat anul trecut examenul de bacalaureat și a fost admisă la facultate din prima încercare.",
    "Ioana s-a antrenat la clubul Universitatea timp de zece ani, alături de antrenorul Mihai Pop.",
    "Mihai Pop spune că tânăra este foarte muncitoare și că visează la Jocurile Olimpice.",
  ].join("\n"),
);
export const MAYOR = story(
  "primar",
  "Primarul din Bistrița a inaugurat podul nou peste râu",
  [
    "Primarul Vasile Rus a inaugurat joi podul nou peste Bistrița, construit în 14 luni.",
    "Lucrările au costat 12 milioane de lei, bani din fonduri europene.",
    "Vasile Rus a spus că podul va scurta drumul spre gară pentru mii de oameni.",
  ].join("\n"),
);
export const WEATHER = story(
  "vreme",
  "Ploi abundente în vestul țării",
  [
    "Meteorologii au emis un cod galben de ploi pentru vestul țării.",
    "În Timișoara au căzut 40 de litri pe metru pătrat în două ore.",
  ].join("\n"),
);
/** Another story, so that "salariu" and "notă" are words the index knows (a real index knows most words). */
export const TEACHERS = story(
  "profesori",
  "Salariile profesorilor cresc din septembrie",
  [
    "Un profesor debutant va avea un salariu de 4.500 de lei din septembrie, a anunțat ministrul Educației.",
    "Elevii care iau nota 10 la bacalaureat vor primi o bursă de merit.",
  ].join("\n"),
);
