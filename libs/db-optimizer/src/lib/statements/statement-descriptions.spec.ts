import type { FieldDef } from 'pg';
import { ConnectionDescriptions, descriptionsOf, forgetDescription, NO_DATA } from './statement-descriptions';

const field = (name: string): FieldDef => ({ name, tableID: 0, columnID: 0, dataTypeID: 23, dataTypeSize: 4, dataTypeModifier: -1, format: 'text' });

describe('ConnectionDescriptions', () => {
  it('keeps what a Describe answered, frozen, until the name is forgotten', () => {
    const descriptions = new ConnectionDescriptions();
    descriptions.remember('dbo_a', [field('id')], descriptions.generation);

    const columns = descriptions.columnsOf('dbo_a');
    expect(columns?.map((column) => column.name)).toEqual(['id']);
    expect(Object.isFrozen(columns) && Object.isFrozen(columns?.[0])).toBe(true);
    descriptions.forget('dbo_a');
    expect(descriptions.columnsOf('dbo_a')).toBeUndefined();
  });

  it('drops an answer to a Describe sent before any name was forgotten: it may describe a statement the server dropped', () => {
    const descriptions = new ConnectionDescriptions();
    const sentAt = descriptions.generation;
    descriptions.forget('dbo_other');
    descriptions.remember('dbo_a', [field('id')], sentAt);

    expect(descriptions.columnsOf('dbo_a')).toBeUndefined();
  });

  it('tells a statement without rows (NoData) from a SELECT of no columns, whose rows are still rows', () => {
    const descriptions = new ConnectionDescriptions();
    descriptions.remember('dbo_update', NO_DATA, descriptions.generation);
    descriptions.remember('dbo_select_nothing', [], descriptions.generation);

    expect(descriptions.columnsOf('dbo_update')).toBe(NO_DATA);
    expect(descriptions.columnsOf('dbo_select_nothing')).toEqual([]);
    expect(descriptions.columnsOf('dbo_select_nothing')).not.toBe(NO_DATA);
  });

  it('drops what it knew of a name a Parse is sent for, without voiding Describes in flight for other names', () => {
    const descriptions = new ConnectionDescriptions();
    descriptions.remember('dbo_a', [field('id')], 0);
    const sentAt = descriptions.generation;
    descriptions.parsing('dbo_a');
    descriptions.remember('dbo_b', [field('id')], sentAt);

    expect(descriptions.columnsOf('dbo_a')).toBeUndefined();
    expect(descriptions.columnsOf('dbo_b')).toBeDefined();
  });

  it('keeps one set per connection, and forgetting on a connection never seen creates nothing', () => {
    const one = {};
    const other = {};
    descriptionsOf(one).remember('dbo_a', [field('id')], 0);
    forgetDescription(other, 'dbo_a');

    expect(descriptionsOf(one).columnsOf('dbo_a')).toBeDefined();
    expect(descriptionsOf(other).columnsOf('dbo_a')).toBeUndefined();
    expect(descriptionsOf(other).generation).toBe(0);
  });
});
