import { invalidField } from './invalid-field';

export interface StringRule {
  maxLength?: number;
  pattern?: RegExp;
  /** Said in the error when `pattern` fails, e.g. "an email address". */
  patternName?: string;
}

export interface IntegerRule {
  min?: number;
  max?: number;
}

/**
 * Reads fields of a JSON body or a query string, one at a time, and throws a
 * 400 naming the first bad field. Query strings carry numbers as text, so
 * `fromQuery` readers parse them; bodies must hold real JSON numbers.
 */
export class FieldReader {
  private constructor(
    private readonly values: Record<string, unknown>,
    private readonly prefix: string,
    private readonly textNumbers: boolean,
  ) {}

  static fromBody(body: unknown, prefix = ''): FieldReader {
    if (body === null || typeof body !== 'object' || Array.isArray(body)) throw invalidField(prefix || 'the body', 'a JSON object', body);
    return new FieldReader(body as Record<string, unknown>, prefix, false);
  }

  static fromQuery(query: Record<string, unknown>): FieldReader {
    return new FieldReader(query ?? {}, '', true);
  }

  /** Refuses fields the endpoint does not know: a typo (`agentID`) would otherwise be ignored silently. */
  onlyKnown(names: readonly string[]): this {
    const unknown = Object.keys(this.values).find((key) => !names.includes(key));
    if (unknown !== undefined) throw invalidField(this.path(unknown), `one of the known fields (${names.join(', ')})`, this.values[unknown]);
    return this;
  }

  has(name: string): boolean {
    return this.values[name] !== undefined;
  }

  string(name: string, rule: StringRule = {}): string {
    const value = this.values[name];
    const maxLength = rule.maxLength ?? 200;
    if (typeof value !== 'string' || value.trim().length === 0) throw invalidField(this.path(name), `a non-empty string of at most ${maxLength} characters`, value);
    if (value.length > maxLength) throw invalidField(this.path(name), `at most ${maxLength} characters long`, `${value.length} characters`);
    if (rule.pattern && !rule.pattern.test(value)) throw invalidField(this.path(name), rule.patternName ?? `text matching ${rule.pattern}`, value);
    return value.trim();
  }

  optionalString(name: string, rule: StringRule = {}): string | undefined {
    return this.values[name] === undefined || this.values[name] === null ? undefined : this.string(name, rule);
  }

  oneOf<T extends string>(name: string, allowed: readonly T[]): T {
    const value = this.values[name];
    if (typeof value !== 'string' || !allowed.includes(value as T)) throw invalidField(this.path(name), `one of ${allowed.join(', ')}`, value);
    return value as T;
  }

  optionalOneOf<T extends string>(name: string, allowed: readonly T[]): T | undefined {
    return this.values[name] === undefined ? undefined : this.oneOf(name, allowed);
  }

  integer(name: string, rule: IntegerRule = {}): number {
    const raw = this.values[name];
    const value = this.textNumbers && typeof raw === 'string' && raw.trim() !== '' ? Number(raw) : raw;
    const min = rule.min ?? 0;
    const max = rule.max ?? Number.MAX_SAFE_INTEGER;
    if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
      throw invalidField(this.path(name), `a whole number from ${min} to ${max}`, raw);
    }
    return value;
  }

  optionalInteger(name: string, rule: IntegerRule = {}): number | undefined {
    return this.values[name] === undefined || this.values[name] === null ? undefined : this.integer(name, rule);
  }

  private path(name: string): string {
    return this.prefix ? `${this.prefix}.${name}` : name;
  }
}
