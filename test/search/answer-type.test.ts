import { describe, expect, it } from "vitest";
import {
  answerTokenIndexes,
  answerTokens,
  answerTypeOf,
  asksMoney,
  hasAnswerToken,
  holdsCurrency,
  questionWordSet,
} from "../../src/search/answer-type.js";

describe("answerTypeOf", () => {
  it("reads the kind of answer from Romanian question words, with or without diacritics", () => {
    expect(answerTypeOf("Câți câini a adoptat vecinul?")).toBe("number");
    expect(answerTypeOf("cand se deschide podul")).toBe("date");
    expect(answerTypeOf("Unde s-a mutat brutăria?")).toBe("place");
    expect(answerTypeOf("de ce a plecat antrenorul")).toBe("cause");
    expect(answerTypeOf("Cine a câștigat concursul de plăcinte?")).toBe("name");
    expect(answerTypeOf("Ce a făcut primarul?")).toBeNull();
  });

  it("asks for a name when the question asks what something is called, not how", () => {
    expect(answerTypeOf("Cum se numește cofetăria deschisă în centru?")).toBe("name");
    expect(answerTypeOf("cum se numea vaporul scufundat")).toBe("name");
    expect(answerTypeOf("Cum a reparat meșterul acoperișul?")).toBe("manner");
  });

  it("asks for a name when the question asks which brand, model or show", () => {
    expect(answerTypeOf("Ce brand de pantofi poartă cântăreața?")).toBe("name");
    expect(answerTypeOf("ce emisiune prezintă actorul")).toBe("name");
  });

  it("reads the plural of a kind's noun as that kind", () => {
    expect(answerTypeOf("Ce sume au primit pompierii?")).toBe("number");
    expect(answerTypeOf("ce preturi au biletele la concert")).toBe("number");
    expect(answerTypeOf("Ce trupe cântă la festival?")).toBe("name");
    expect(answerTypeOf("În ce orașe se oprește caravana?")).toBe("place");
  });
});

describe("cause phrases", () => {
  const none = new Set<string>();
  it("asks for a cause when the question asks what something started from", () => {
    expect(answerTypeOf("De la ce a pornit focul din pădure?")).toBe("cause");
  });

  it("finds a cause told as 'pe fondul', 'provocat de' or 'a pornit de la'", () => {
    expect(hasAnswerToken("Șoferul a pierdut controlul pe fondul oboselii.", "cause", none)).toBe(true);
    expect(hasAnswerToken("Focul a fost provocat de o țigară aruncată.", "cause", none)).toBe(true);
    expect(hasAnswerToken("Incendiul a pornit de la o sobă veche.", "cause", none)).toBe(true);
    expect(hasAnswerToken("Pompierii au stins focul în două ore.", "cause", none)).toBe(false);
  });
});

describe("answerTokenIndexes", () => {
  const sentence = "Vecinul a adoptat anul trecut 3 câini de la adăpostul din Brașov.";
  const tokens = answerTokens(sentence);
  const words = tokens.words.map((w) => w.folded);

  it("gives where the asked-for tokens stand", () => {
    const known = questionWordSet("Câți câini a adoptat vecinul?");
    expect(answerTokenIndexes(tokens, "number", known).map((i) => words[i])).toEqual(["3"]);
    expect(answerTokenIndexes(tokens, "place", known).map((i) => words[i])).toEqual(["brasov"]);
  });

  it("agrees with hasAnswerToken and skips the question's own words", () => {
    const known = questionWordSet("Câini din Brașov adoptați");
    expect(answerTokenIndexes(tokens, "place", known)).toEqual([]);
    expect(hasAnswerToken(sentence, "place", known)).toBe(false);
    expect(answerTokenIndexes(tokens, "cause", known)).toEqual([]);
  });
});

describe("money questions and currencies", () => {
  it("tells a question about money from one about another number", () => {
    expect(asksMoney("Cât costă un bilet la meci?")).toBe(true);
    expect(asksMoney("ce salariu are primarul")).toBe(true);
    expect(asksMoney("Câți ani are primarul?")).toBe(false);
  });

  it("finds a currency written out or as a sign, folded", () => {
    expect(holdsCurrency("Biletul costă 80 de lei.")).toBe(true);
    expect(holdsCurrency("A plătit 20 € pe lună.")).toBe(true);
    expect(holdsCurrency("Restaurantul are 60 de locuri.")).toBe(false);
    // A currency is a whole word: "Eurovision" names none.
    expect(holdsCurrency("Finala Eurovision are loc sâmbătă.")).toBe(false);
  });
});
