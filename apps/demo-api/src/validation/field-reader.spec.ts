import { BadRequestException } from '@nestjs/common';
import { FieldReader } from './field-reader';
import { routeId } from './route-id';

function errorOf(work: () => unknown): { field: string; message: string } {
  try {
    work();
  } catch (error) {
    expect(error).toBeInstanceOf(BadRequestException);
    return (error as BadRequestException).getResponse() as { field: string; message: string };
  }
  throw new Error('expected a BadRequestException');
}

describe('FieldReader', () => {
  it('reads valid fields and trims strings', () => {
    const reader = FieldReader.fromBody({ name: ' Ana ', beds: 3, kind: 'house' });
    expect(reader.string('name')).toBe('Ana');
    expect(reader.integer('beds', { max: 20 })).toBe(3);
    expect(reader.oneOf('kind', ['house', 'condo'])).toBe('house');
    expect(reader.optionalString('missing')).toBeUndefined();
  });

  it('names the bad field, with its prefix inside a batch', () => {
    expect(errorOf(() => FieldReader.fromBody({ email: 'nope' }, 'leads[3]').string('email', { pattern: /@/, patternName: 'an email address' }))).toMatchObject({
      field: 'leads[3].email',
      message: expect.stringContaining('leads[3].email must be an email address'),
    });
    expect(errorOf(() => FieldReader.fromBody({ kind: 'castle' }).oneOf('kind', ['house']))).toMatchObject({ field: 'kind' });
    expect(errorOf(() => FieldReader.fromBody({ beds: '3' }).integer('beds'))).toMatchObject({ field: 'beds' });
    expect(errorOf(() => FieldReader.fromBody({ agentID: 1 }).onlyKnown(['agentId']))).toMatchObject({ field: 'agentID' });
    expect(errorOf(() => FieldReader.fromBody([1, 2]))).toMatchObject({ field: 'the body' });
  });

  it('parses numbers from a query string but not from a body', () => {
    expect(FieldReader.fromQuery({ page: '2' }).integer('page', { min: 1 })).toBe(2);
    expect(errorOf(() => FieldReader.fromQuery({ page: '0' }).integer('page', { min: 1 }))).toMatchObject({ field: 'page' });
  });

  it('accepts only positive whole-number route ids', () => {
    expect(routeId('42')).toBe(42);
    expect(errorOf(() => routeId('abc'))).toMatchObject({ field: 'id' });
    expect(errorOf(() => routeId('0', 'agentId'))).toMatchObject({ field: 'agentId' });
  });
});
