import { AnswerEngine } from "../src/search/answer-engine.js";
import { Conversation } from "../src/conversation/conversation.js";
import { ATHLETE, MAYOR, TEACHERS, WEATHER } from "../test/search/fixtures.js";
const engine = AnswerEngine.fromArticles([ATHLETE, MAYOR, WEATHER, TEACHERS]);
const conv = new Conversation(engine);
const dialogs = [
  ["La ce facultate studiază Ioana Mureșan?", "Și ce notă a luat la bacalaureat?"],
  ["La ce facultate studiază Ioana Mureșan?", "La ce club s-a antrenat?"],
  ["La ce facultate studiază Ioana Mureșan?", "Câți ani are?"],
  ["Ce a inaugurat primarul Vasile Rus?", "Ce salariu are el?"],
  ["Ce a inaugurat primarul Vasile Rus?", "Câți ani are primarul?"],
  ["Ce a inaugurat primarul Vasile Rus?", "Cât au costat lucrările?"],
  ["Ce a inaugurat primarul Vasile Rus?", "În câte luni a fost construit?"],
];
for (const [a, b] of dialogs) {
  const t1 = conv.ask(a!, null);
  const ctx = t1.context!;
  const t2 = conv.ask(b!, ctx);
  const words = ctx.keywords.join(" ");
  const ranked = engine.explain(b!, words, new Set(ctx.articleIds));
  const c = ranked[0];
  console.log(b, "|", t2.resolution.reason, t2.groups[0]?.quote.text.slice(0, 60), "| conf", c?.confidence.toFixed(3), c && Object.entries(c.features).map(([k, v]) => `${k}=${v.toFixed(2)}`).join(" "));
}
