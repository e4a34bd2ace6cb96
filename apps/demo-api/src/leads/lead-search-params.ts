import { FieldReader } from '../validation/field-reader';
import { invalidField } from '../validation/invalid-field';
import { LEAD_SOURCES, LEAD_STATUSES, PROPERTY_TYPES } from '../schema/schema.sql';
import { LeadSearch, SEARCH_SORTS } from './lead-search.interface';

const SEARCH_FIELDS = ['status', 'source', 'city', 'propertyType', 'agentId', 'minBudgetCents', 'maxBudgetCents', 'phone', 'q', 'sort', 'page', 'pageSize'];
// Deep OFFSETs read and drop every row before the page: past this, a client should narrow its filters.
const MAX_PAGE = 500;
const MAX_PAGE_SIZE = 100;

/** GET /leads query string → a search, or a 400 naming the bad parameter. */
export function parseLeadSearch(query: Record<string, unknown>): LeadSearch {
  const reader = FieldReader.fromQuery(query).onlyKnown(SEARCH_FIELDS);
  const search: LeadSearch = {
    sort: reader.optionalOneOf('sort', SEARCH_SORTS) ?? 'newest',
    page: reader.optionalInteger('page', { min: 1, max: MAX_PAGE }) ?? 1,
    pageSize: reader.optionalInteger('pageSize', { min: 1, max: MAX_PAGE_SIZE }) ?? 20,
  };
  const status = reader.optionalOneOf('status', LEAD_STATUSES);
  const source = reader.optionalOneOf('source', LEAD_SOURCES);
  const city = reader.optionalString('city', { maxLength: 80 });
  const propertyType = reader.optionalOneOf('propertyType', PROPERTY_TYPES);
  const agentId = reader.optionalInteger('agentId', { min: 1, max: 2_147_483_647 });
  const minBudgetCents = reader.optionalInteger('minBudgetCents', { max: 2_000_000_000 });
  const maxBudgetCents = reader.optionalInteger('maxBudgetCents', { max: 2_000_000_000 });
  const phone = reader.optionalString('phone', { maxLength: 20 });
  const q = reader.optionalString('q', { maxLength: 80 });
  if (minBudgetCents !== undefined && maxBudgetCents !== undefined && minBudgetCents > maxBudgetCents) {
    throw invalidField('maxBudgetCents', `at least minBudgetCents (${minBudgetCents})`, maxBudgetCents);
  }
  return {
    ...search,
    ...(status && { status }),
    ...(source && { source }),
    ...(city && { city }),
    ...(propertyType && { propertyType }),
    ...(agentId !== undefined && { agentId }),
    ...(minBudgetCents !== undefined && { minBudgetCents }),
    ...(maxBudgetCents !== undefined && { maxBudgetCents }),
    ...(phone && { phone }),
    ...(q && { q }),
  };
}
