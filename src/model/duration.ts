// Durations as people write them in YAML ("36h", "1h30m", "7d") or as plain seconds, read into whole seconds.
// Whole seconds keep every later sum exact; `m` is minutes (there is no month unit: months vary in length).

const UNIT_S = { w: 604_800, d: 86_400, h: 3_600, m: 60, s: 1 } as const;
type Unit = keyof typeof UNIT_S;
const UNITS_DESCENDING: readonly Unit[] = ["w", "d", "h", "m", "s"];

const PART = /(\d+(?:\.\d+)?)\s*([wdhms])/y;
const HINT =
  "use a number with a unit s, m, h, d or w (like 90s, 36h or 1h30m), or a plain number of seconds";

export type DurationReading = { ok: true; seconds: number } | { ok: false; problem: string };

/** Reads a duration without throwing; `problem` says in plain words what is wrong. */
export function readDurationS(value: unknown): DurationReading {
  if (typeof value === "number") return fromSeconds(value, String(value));
  if (typeof value !== "string") {
    return { ok: false, problem: `must be a duration; ${HINT}` };
  }
  const text = value.trim();
  if (text === "") return { ok: false, problem: `is empty; ${HINT}` };
  if (/^\d+(\.\d+)?$/.test(text)) return fromSeconds(Number(text), value);
  if (text.startsWith("-"))
    return { ok: false, problem: `"${value}" is negative; a duration must be 0 or more` };
  return fromUnits(text, value);
}

/** Like readDurationS, but throws a RangeError naming the problem. For trusted call sites and tests. */
export function parseDurationS(value: string | number): number {
  const reading = readDurationS(value);
  if (!reading.ok) throw new RangeError(`duration ${reading.problem}`);
  return reading.seconds;
}

/** Whole seconds → the shortest exact form in the same notation, e.g. 5400 → "1h30m", 0 → "0s". */
export function formatDurationS(seconds: number): string {
  if (seconds === 0) return "0s";
  let rest = seconds;
  let out = "";
  for (const unit of UNITS_DESCENDING) {
    const count = Math.floor(rest / UNIT_S[unit]);
    if (count > 0) {
      out += `${count}${unit}`;
      rest -= count * UNIT_S[unit];
    }
  }
  return out;
}

function fromSeconds(seconds: number, written: string): DurationReading {
  if (!Number.isFinite(seconds))
    return { ok: false, problem: `${written} is not a finite number of seconds` };
  if (seconds < 0) return { ok: false, problem: `${written} is negative; a duration must be 0 or more` };
  if (!Number.isInteger(seconds)) {
    return { ok: false, problem: `${written} is not a whole number of seconds` };
  }
  return { ok: true, seconds };
}

// Parts must come largest unit first, each unit once ("1h30m", not "30m1h" or "1h1h"): anything else is
// more likely a typo than an intent.
function fromUnits(text: string, written: string): DurationReading {
  PART.lastIndex = 0;
  let seconds = 0;
  let lastUnitRank = -1;
  while (PART.lastIndex < text.length) {
    const match = PART.exec(text);
    if (match === null) return { ok: false, problem: `"${written}" is not a duration; ${HINT}` };
    const unit = match[2] as Unit;
    const rank = UNITS_DESCENDING.indexOf(unit);
    if (rank <= lastUnitRank) {
      return {
        ok: false,
        problem: `"${written}" repeats or reorders units; write the largest unit first, like 1h30m`,
      };
    }
    lastUnitRank = rank;
    seconds += Number(match[1]) * UNIT_S[unit];
    while (text[PART.lastIndex] === " ") PART.lastIndex++;
  }
  // Decimals such as 1.5h are fine as long as they land on whole seconds; 1.5h = 5400 s exactly.
  const rounded = Math.round(seconds * 1e6) / 1e6;
  if (!Number.isInteger(rounded))
    return { ok: false, problem: `"${written}" is not a whole number of seconds` };
  return { ok: true, seconds: rounded };
}
