// `--explain`: every figure with its formula, operands and source, as plain text, one block per figure.
import type { EedReport } from "../../accounting/eed-report.ts";
import type { FigureValue } from "../../accounting/figure.ts";
import { roundSignificant } from "../../report/round.ts";

export function eedExplain(report: EedReport): string {
  const lines: string[] = [];
  for (const dc of report.dataCentres) {
    lines.push(`${dc.siteId} (${dc.name}), scheme ${dc.scheme}`);
    for (const section of dc.sections) {
      lines.push(`  ${section.title}`);
      for (const f of section.figures) {
        const name = f.symbol === null ? f.label : `${f.symbol} (${f.label})`;
        lines.push(`    ${name} = ${shown(f.value)}${f.unit === "" ? "" : ` ${f.unit}`}`);
        lines.push(`      formula: ${f.formula}`);
        const operands = Object.entries(f.operands);
        if (operands.length > 0)
          lines.push(`      operands: ${operands.map(([k, v]) => `${k} = ${shown(v)}`).join(", ")}`);
        lines.push(`      source: ${f.source}`);
      }
    }
    lines.push("");
  }
  return lines.join("\n");
}

function shown(value: FigureValue): string {
  if (value === null) return "—";
  return typeof value === "number" ? String(roundSignificant(value)) : value;
}
