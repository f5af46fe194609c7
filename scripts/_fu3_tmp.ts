import { AnswerEngine } from "../src/search/answer-engine.js";
import { Conversation } from "../src/conversation/conversation.js";
import { CHEF, CHEF_QUESTION, STORY_ARTICLES, BAKER_ARTICLES } from "../test/conversation/story-fixtures.js";
import { ATHLETE, MAYOR, TEACHERS, WEATHER } from "../test/search/fixtures.js";
const engine = AnswerEngine.fromArticles([CHEF, ...STORY_ARTICLES, ...BAKER_ARTICLES, ATHLETE, MAYOR, TEACHERS, WEATHER]);
const conv = new Conversation(engine);
for (const b of ["Și cât costă o porție de tochitură?", "Câți ani are bucătarul?", "Câte locuri are?", "Unde a lucrat înainte?", "Și ce servește?", "Cât timp a lucrat la Viena?", "Când l-a deschis?", "Ce salariu au ospătarii?"]) {
  const t1 = conv.ask(CHEF_QUESTION, null);
  const t2 = conv.ask(b, t1.context);
  console.log(b, "|", t2.resolution.reason, t2.answer.found, t2.groups[0]?.quote.text.slice(0, 70), "related:", t2.answer.related?.id);
}
for (const q of ["Cât costă o porție de tochitură la restaurantul lui Andrei Vlase?", "Câți ani are bucătarul Andrei Vlase?"]) {
  const a = engine.ask(q);
  console.log(q, a.found, a.quotes[0]?.text.slice(0, 60), a.related?.id);
}
