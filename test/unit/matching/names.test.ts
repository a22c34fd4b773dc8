import { describe, expect, it } from "vitest";
import { nameTokenSet, nameTokens, skeleton } from "../../../src/engines/matching/names.ts";
import { parseDob, parseSex } from "../../../src/engines/matching/person.ts";

describe("name handling", () => {
  it.each([
    // accents, case, punctuation
    [
      ["José María", "Núñez-García"],
      ["garcia", "jose", "maria", "nunez"],
    ],
    // Spanish two-surname order and a swapped given name and surname give the same set
    [
      ["García Márquez", "Gabriel"],
      ["gabriel", "garcia", "marquez"],
    ],
    [
      ["Gabriel", "Márquez García"],
      ["gabriel", "garcia", "marquez"],
    ],
    // Portuguese particles
    [
      ["João", "da Silva dos Santos"],
      ["joao", "santos", "silva"],
    ],
    [
      ["Joao", "Silva Santos"],
      ["joao", "santos", "silva"],
    ],
    // Dutch, German, Spanish particles
    [
      ["Ludwig", "van Beethoven"],
      ["beethoven", "ludwig"],
    ],
    [
      ["Juan", "de la Cruz"],
      ["cruz", "juan"],
    ],
    // Arabic names in Latin letters: al-, bin, Abd al-, spellings of Muhammad
    [
      ["Mohammed", "bin Salman Al Saud"],
      ["muhammad", "salman", "saud"],
    ],
    [
      ["Muhamad", "ibn Salman al-Saud"],
      ["muhammad", "salman", "saud"],
    ],
    [
      ["Abd al-Rahman", "el-Masri"],
      ["abdrahman", "masri"],
    ],
    [
      ["Abdul Rahman", "Masri"],
      ["abdrahman", "masri"],
    ],
    [
      ["Abdelrahman", "Masri"],
      ["abdrahman", "masri"],
    ],
    // Cyrillic and Chinese scripts
    [
      ["Александр", "Пушкин"],
      ["aleksandr", "pushkin"],
    ],
    [
      ["伟", "王"],
      ["wang", "wei"],
    ],
  ])("%j → %j", (parts, tokens) => {
    expect(nameTokenSet(...parts)).toEqual(tokens);
  });

  it("keeps an ambiguous particle that is a given name at the start", () => {
    expect(nameTokens("Ben Smith")).toEqual(["ben", "smith"]);
    expect(nameTokens("Yusuf Ben Ali")).toEqual(["yusuf", "ali"]);
  });

  it("gives Arabic-script and Latin spellings the same consonant skeletons", () => {
    const arabic = nameTokenSet("محمد بن سلمان آل سعود").map(skeleton).sort();
    const latin = nameTokenSet("Mohammed bin Salman Al Saud").map(skeleton).sort();
    expect(arabic).toEqual(latin);
    expect(
      new Set(["Yousef", "Youssef", "Yusuf", "يوسف"].map((n) => skeleton(nameTokens(n)[0] ?? ""))),
    ).toEqual(new Set(["ysf"]));
    expect(skeleton("alexander")).toBe(skeleton("aleksandr"));
    expect(skeleton("philip")).toBe(skeleton("filip"));
  });

  it("parses dates of birth and sex as written", () => {
    expect(parseDob("19810712")).toEqual({ y: "1981", m: "07", d: "12" });
    expect(parseDob("1981-7-12")).toEqual({ y: "1981", m: "07", d: "12" });
    expect(parseDob("12/07/1981")).toEqual({ y: "1981", m: "07", d: "12" });
    expect(parseDob("07/25/1981")).toEqual({ y: "1981", m: "07", d: "25" });
    expect(parseDob("1981")).toEqual({ y: "1981" });
    expect(parseDob("unknown")).toEqual({});
    expect(["M", "female", "Mujer", "ж", "男", "?"].map(parseSex)).toEqual([
      "m",
      "f",
      "f",
      "f",
      "m",
      undefined,
    ]);
  });
});
