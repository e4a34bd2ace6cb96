import { FieldReader } from '../validation/field-reader';
import { invalidField } from '../validation/invalid-field';
import { LEAD_SOURCES, LEAD_STATUSES, PROPERTY_TYPES } from '../schema/schema.sql';
import type { LeadInput, LeadPatch, LeadStatus } from './lead.interface';

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const PHONE = /^\+?[0-9 ()-]{6,20}$/;
const SETTABLE_STATUSES = LEAD_STATUSES.filter((status): status is Exclude<LeadStatus, 'converted'> => status !== 'converted');
export const LEAD_FIELDS = ['agentId', 'fullName', 'email', 'phone', 'status', 'source', 'city', 'propertyType', 'budgetCents', 'bedrooms', 'notes'] as const;

/** A new lead from a request body; `prefix` names the row inside a batch (`leads[3]`). */
export function parseLeadInput(body: unknown, prefix = ''): LeadInput {
  const reader = FieldReader.fromBody(body, prefix).onlyKnown(LEAD_FIELDS);
  refuseConverted(reader, body, prefix);
  return {
    fullName: reader.string('fullName'),
    email: reader.string('email', { maxLength: 254, pattern: EMAIL, patternName: 'an email address such as ana@example.com' }),
    source: reader.oneOf('source', LEAD_SOURCES),
    city: reader.string('city', { maxLength: 80 }),
    propertyType: reader.oneOf('propertyType', PROPERTY_TYPES),
    ...optionalFields(reader),
  };
}

/** The fields a PATCH changes; at least one. */
export function parseLeadPatch(body: unknown): LeadPatch {
  const reader = FieldReader.fromBody(body).onlyKnown(LEAD_FIELDS);
  refuseConverted(reader, body, '');
  const patch: LeadPatch = {
    ...(reader.has('fullName') && { fullName: reader.string('fullName') }),
    ...(reader.has('email') && { email: reader.string('email', { maxLength: 254, pattern: EMAIL, patternName: 'an email address such as ana@example.com' }) }),
    ...(reader.has('source') && { source: reader.oneOf('source', LEAD_SOURCES) }),
    ...(reader.has('city') && { city: reader.string('city', { maxLength: 80 }) }),
    ...(reader.has('propertyType') && { propertyType: reader.oneOf('propertyType', PROPERTY_TYPES) }),
    ...optionalFields(reader),
  };
  if (Object.keys(patch).length === 0) throw invalidField('the body', `an object with at least one of ${LEAD_FIELDS.join(', ')}`, body);
  return patch;
}

function optionalFields(reader: FieldReader): Partial<LeadInput> {
  const agentId = reader.optionalInteger('agentId', { min: 1, max: 2_147_483_647 });
  const phone = reader.optionalString('phone', { maxLength: 20, pattern: PHONE, patternName: 'a phone number such as +351 912 345 678' });
  const status = reader.optionalOneOf('status', SETTABLE_STATUSES);
  const budgetCents = reader.optionalInteger('budgetCents', { min: 0, max: 2_000_000_000 });
  const bedrooms = reader.optionalInteger('bedrooms', { min: 0, max: 20 });
  const notes = reader.optionalString('notes', { maxLength: 2000 });
  return {
    ...(agentId !== undefined && { agentId }),
    ...(phone !== undefined && { phone }),
    ...(status !== undefined && { status }),
    ...(budgetCents !== undefined && { budgetCents }),
    ...(bedrooms !== undefined && { bedrooms }),
    ...(notes !== undefined && { notes }),
  };
}

function refuseConverted(reader: FieldReader, body: unknown, prefix: string): void {
  if (reader.has('status') && (body as { status?: unknown }).status === 'converted') {
    throw invalidField(prefix ? `${prefix}.status` : 'status', `one of ${SETTABLE_STATUSES.join(', ')}: a lead becomes converted through POST /leads/:id/convert`, 'converted');
  }
}
