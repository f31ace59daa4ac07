// Facility input → Facility: validate the document, then expand it to nodes.
import { validate } from "../model/input-schemas.ts";
import type { Facility } from "../model/types.ts";
import { fromYamlText } from "../model/yaml-source.ts";
import { expandFacility } from "./expand-facility.ts";
import { facilitySchema } from "./facility-schema.ts";

/** Validates an already-parsed document (YAML, JSON, HTTP body); throws InputError naming every problem. */
export function facilityFromDocument(doc: unknown, source = "input"): Facility {
  return expandFacility(validate(facilitySchema, doc, source));
}

/** Parses facility YAML; errors carry the YAML line of the field they concern. */
export function parseFacilityYaml(text: string, source: string): Facility {
  return fromYamlText(text, source, (data) => facilityFromDocument(data, source));
}
