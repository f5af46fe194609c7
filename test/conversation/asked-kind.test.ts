import { describe, expect, it } from "vitest";
import { askedKindOf, holdsKind } from "../../src/conversation/asked-kind.js";

describe("askedKindOf", () => {
  it("reads the kind of answer from the question words, typed with or without diacritics", () => {
    expect(askedKindOf("și de ce a făcut asta?")).toBe("cause");
    expect(askedKindOf("din ce motiv a plecat")).toBe("cause");
    expect(askedKindOf("si cum il cheama?")).toBe("name");
    expect(askedKindOf("cine a câștigat?")).toBe("name");
    expect(askedKindOf("dar cât costa?")).toBe("number");
    expect(askedKindOf("și câți ani are?")).toBe("number");
    expect(askedKindOf("unde l-au prins?")).toBe("place");
    expect(askedKindOf("când s-a întâmplat?")).toBe("date");
    expect(askedKindOf("și ce a zis primarul?")).toBe("said");
    expect(askedKindOf("ce i-a adus?")).toBeNull();
  });
});

describe("holdsKind", () => {
  it("finds a cause, a quoted statement, a name in words, a number the question lacks", () => {
    expect(holdsKind("A plecat pentru că nu mai avea bani.", "cause", "de ce?")).toBe(true);
    expect(holdsKind("Vremea a fost frumoasă toată ziua.", "cause", "de ce?")).toBe(false);
    expect(holdsKind("Primarul a declarat că lucrările se termină.", "said", "ce a zis?")).toBe(true);
    expect(holdsKind("Băiatul se numește Andrei.", "name", "cum îl cheamă?")).toBe(true);
    expect(holdsKind("bărbatul avea 40 de ani", "number", "câți ani avea?")).toBe(true);
    expect(holdsKind("bărbatul era tânăr", "number", "câți ani avea?")).toBe(false);
  });
});
