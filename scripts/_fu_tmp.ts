import { AnswerEngine } from "/work/wt/gate3/src/search/answer-engine.js";
import { Conversation } from "/work/wt/gate3/src/conversation/conversation.js";
import { ATHLETE, MAYOR, TEACHERS, WEATHER } from "/work/wt/gate3/test/search/fixtures.js";
const engine = AnswerEngine.fromArticles([ATHLETE, MAYOR, WEATHER, TEACHERS]);
const conv = new Conversation(engine);
const dialogs = [
  ["La ce facultate studiază Ioana Mureșan?", "Și ce notă a luat la bacalaureat?"],
  ["La ce facultate studiază Ioana Mureșan?", "Ce notă a luat ea la bacalaureat?"],
  ["Ce a inaugurat primarul Vasile Rus?", "Ce salariu are el?"],
  ["Ce a inaugurat primarul Vasile Rus?", "Câți ani are primarul?"],
  ["Cât au costat lucrările la podul din Bistrița?", "Și cine a construit podul?"],
];
for (const [a, b] of dialogs) {
  const t1 = conv.ask(a!, null);
  console.log("Q1", a, t1.answer.found, t1.groups[0]?.quote.text.slice(0, 80), t1.answer.related?.id);
  const t2 = conv.ask(b!, t1.context);
  console.log("  Q2", b, t2.resolution.kind, t2.resolution.reason, t2.answer.found, t2.noStory ?? "", t2.groups[0]?.quote.text.slice(0, 80), "related:", t2.answer.related?.id);
}
