/** A small story of our own (not from any evaluation set) and a few unrelated articles. */
import type { Article } from "../../src/content/article.js";

const article = (a: Pick<Article, "id" | "title" | "body">): Article => ({
  date: "2025-05-10",
  url: null,
  source: "Ziarul Test",
  ...a,
});

export const CASHIER = article({
  id: "test/casier",
  title: "Casier din Brăila, reținut după ce a golit seiful magazinului",
  body:
    "Un casier de 34 de ani din Brăila a fost reținut de polițiști după ce a luat 20.000 de lei din seiful magazinului în care lucra.\n\n" +
    "Bărbatul le-a spus anchetatorilor că a furat banii pentru că avea datorii mari la pariuri.\n\n" +
    "El a fost prins la Galați, în casa unei rude, la două zile după furt.\n\n" +
    "Patronul magazinului a anunțat că nu va mai angaja pe nimeni fără recomandări.",
});

export const STORY_ARTICLES: Article[] = [
  CASHIER,
  article({
    id: "test/casier-2",
    title: "Casierul din Brăila: cine plătește paguba",
    body: "Paguba lăsată de casierul din Brăila care a golit seiful va fi acoperită de firma de asigurări a magazinului.",
  }),
  article({
    id: "test/fundas",
    title: "Fundașul Ionel Dobre se retrage din fotbal",
    body:
      "Fundașul Ionel Dobre a anunțat că se retrage după unsprezece sezoane la Dinamo.\n\n" +
      "Dobre a spus că renunță pentru că nu se mai poate antrena din cauza genunchilor.",
  }),
  article({
    id: "test/stadion",
    title: "Biletele la derby s-au scumpit",
    body: "Un bilet la meciul de duminică de pe Arena Națională costă 80 de lei, au anunțat organizatorii.\n\nCasele de bilete se deschid vineri.",
  }),
  article({
    id: "test/vreme",
    title: "Ploi în sudul țării",
    body: "Meteorologii anunță ploi abundente în sudul țării până joi.\n\nTemperaturile scad cu cinci grade.",
  }),
];

/** A first question the cashier story answers. */
export const CASHIER_QUESTION = "Câți lei a luat casierul din Brăila din seif?";

/** A second story of our own, told in two articles: the theft, and the shop's reopening with its loss. */
export const BAKER = article({
  id: "test/brutar",
  title: "Brutar din Sibiu, prins după ce a furat cuptorul unei pizzerii",
  body:
    "Un brutar de 41 de ani din Sibiu a fost reținut de polițiști după ce a furat cuptorul electric al unei pizzerii din cartierul Terezian.\n\n" +
    "Bărbatul a declarat anchetatorilor că a luat cuptorul pentru că voia să își deschidă propria brutărie.\n\n" +
    "Polițiștii l-au găsit la Mediaș, într-un garaj închiriat, la trei zile după furt.",
});

export const BAKER_ARTICLES: Article[] = [
  BAKER,
  article({
    id: "test/pizzeria",
    title: "Pizzeria din Sibiu își redeschide bucătăria",
    body:
      "Pizzeria din cartierul Terezian, de unde un brutar a furat cuptorul, și-a redeschis bucătăria după o săptămână.\n\n" +
      "Patronul pizzeriei a spus că paguba din zilele fără cuptor a fost de aproximativ 4.000 de lei.",
  }),
];

/** A first question the baker story answers. */
export const BAKER_QUESTION = "Ce a furat brutarul din Sibiu?";

/**
 * A third story of our own, for declines: it reports where the chef's restaurant opened, when and
 * what it serves, and never what a meal there costs nor how old the chef is.
 */
export const CHEF = article({
  id: "test/bucatar",
  title: "Bucătarul Andrei Vlase a deschis un restaurant cu preparate moldovenești la Suceava",
  body:
    "Bucătarul Andrei Vlase a deschis vineri un restaurant cu preparate moldovenești în centrul Sucevei.\n\n" +
    "Restaurantul are 60 de locuri și servește în fiecare zi plăcinte, sarmale și tochitură după rețetele bunicii lui.\n\n" +
    "Andrei Vlase a lucrat opt ani în bucătăriile unor hoteluri din Viena înainte să se întoarcă acasă.",
});

/** A first question the chef story answers. */
export const CHEF_QUESTION = "Câte locuri are restaurantul lui Andrei Vlase?";
