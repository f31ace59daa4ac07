// Policy input → Policy.
import { validate } from "../model/input-schemas.ts";
import type { Policy } from "../model/types.ts";
import { fromYamlText } from "../model/yaml-source.ts";
import { policySchema } from "./policy-schema.ts";

/** Validates an already-parsed document; throws InputError naming every problem. */
export function policyFromDocument(doc: unknown, source = "input"): Policy {
  return validate(policySchema, doc, source);
}

/** Parses policy YAML; errors carry the YAML line of the field they concern. */
export function parsePolicyYaml(text: string, source: string): Policy {
  return fromYamlText(text, source, (data) => policyFromDocument(data, source));
}
