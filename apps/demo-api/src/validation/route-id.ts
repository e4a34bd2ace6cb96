import { invalidField } from './invalid-field';

/** A positive whole-number id from the URL, or a 400 naming the parameter. */
export function routeId(raw: string, name = 'id'): number {
  const value = /^[0-9]{1,15}$/.test(raw) ? Number(raw) : NaN;
  if (!Number.isSafeInteger(value) || value <= 0) throw invalidField(name, 'a positive whole number', raw);
  return value;
}
