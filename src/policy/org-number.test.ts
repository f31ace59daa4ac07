import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { isValidNorwegianOrgNumber, orgNumberCheckDigit, orgNumberProblem } from "./org-number.ts";

describe("Norwegian organisation numbers (MOD11, weights 3 2 7 6 5 4 3 2)", () => {
  it("accepts published numbers whose check digit works out by hand", () => {
    // 923609016: 9·3+2·2+3·7+6·6+0·5+9·4+0·3+1·2 = 126; 126 mod 11 = 5; 11 − 5 = 6 ✓
    expect(isValidNorwegianOrgNumber("923609016")).toBe(true);
    // 974760673: 9·3+7·2+4·7+7·6+6·5+0·4+6·3+7·2 = 173; 173 mod 11 = 8; 11 − 8 = 3 ✓
    expect(isValidNorwegianOrgNumber("974760673")).toBe(true);
  });

  it("uses check digit 0 when the weighted sum divides by 11", () => {
    // 99012378 → sum 9·3+9·2+0·7+1·6+2·5+3·4+7·3+8·2 = 110 = 10·11
    expect(orgNumberCheckDigit("99012378")).toBe(0);
    expect(isValidNorwegianOrgNumber("990123780")).toBe(true);
  });

  it("rejects an organisation number whose MOD11 check digit is wrong, saying which digit was expected", () => {
    expect(orgNumberProblem("123456789")).toBe("check digit should be 5, not 9");
    expect(orgNumberProblem("923609017")).toBe("check digit should be 6, not 7");
    expect(isValidNorwegianOrgNumber("974760674")).toBe(false);
  });

  it("rejects every number whose first eight digits leave remainder 1, since no check digit exists", () => {
    // 93302718 → sum 9·3+3·2+3·7+0·6+2·5+7·4+1·3+8·2 = 111; 111 mod 11 = 1
    expect(orgNumberCheckDigit("93302718")).toBeNull();
    for (let d = 0; d <= 9; d++) expect(isValidNorwegianOrgNumber(`93302718${d}`)).toBe(false);
    expect(orgNumberProblem("933027180")).toMatch(
      /no check digit can complete 93302718 \(its MOD11 remainder is 1\)/,
    );
  });

  it("rejects numbers that are not exactly nine digits", () => {
    expect(orgNumberProblem("92360901")).toBe("must have 9 digits, not 8");
    expect(orgNumberProblem("9236090160")).toBe("must have 9 digits, not 10");
    expect(orgNumberProblem("923 609 016")).toBe("must contain only the digits 0–9");
    expect(orgNumberProblem("")).toBe("must contain only the digits 0–9");
  });

  const prefix = fc.stringMatching(/^\d{8}$/);

  it("gives every 8-digit prefix exactly one valid completion, or none when its remainder is 1", () => {
    fc.assert(
      fc.property(prefix, (firstEight) => {
        const valid = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9].filter((d) =>
          isValidNorwegianOrgNumber(`${firstEight}${d}`),
        );
        const check = orgNumberCheckDigit(firstEight);
        expect(valid).toEqual(check === null ? [] : [check]);
      }),
      { numRuns: 2_000 },
    );
  });

  it("catches every single-digit typo in a valid number", () => {
    const validNumber = prefix
      .filter((p) => orgNumberCheckDigit(p) !== null)
      .map((p) => `${p}${orgNumberCheckDigit(p)}`);
    fc.assert(
      fc.property(validNumber, fc.nat(8), fc.integer({ min: 1, max: 9 }), (number, position, shift) => {
        const digit = (Number(number[position]) + shift) % 10;
        const typo = number.slice(0, position) + digit + number.slice(position + 1);
        expect(isValidNorwegianOrgNumber(typo)).toBe(false);
      }),
    );
  });
});
