/** Reading JSON input from the transient map, which Fabric keeps out of the ledger. */
import type { Context } from 'fabric-shim-ts/contract';

/**
 * Parses the transient field `name` as a JSON object. Sensitive inputs (appraised values)
 * travel here rather than in the arguments, because arguments are recorded in the block.
 */
export function transientJson(ctx: Context, name: string): Record<string, unknown> {
  const bytes = ctx.stub.getTransient().get(name);
  if (bytes === undefined || bytes.length === 0) {
    throw new Error(`transient field '${name}' is required`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(bytes).toString('utf8'));
  } catch {
    throw new Error(`transient field '${name}' must be JSON`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new Error(`transient field '${name}' must be a JSON object`);
  }
  return parsed as Record<string, unknown>;
}

/** A non-empty string property of a transient object. */
export function requireString(obj: Record<string, unknown>, field: string): string {
  const v = obj[field];
  if (typeof v !== 'string' || v === '') throw new Error(`'${field}' must be a non-empty string`);
  return v;
}

/** A positive number property of a transient object. */
export function requirePositive(obj: Record<string, unknown>, field: string): number {
  const v = obj[field];
  if (typeof v !== 'number' || !(v > 0)) throw new Error(`'${field}' must be a positive number`);
  return v;
}
