import { splitHosts } from './primary-candidates';

describe('splitHosts', () => {
  it('keeps a single-host URL as it is', () => {
    expect(splitHosts('postgres://app:secret@db:5432/app?sslmode=disable')).toEqual(['postgres://app:secret@db:5432/app?sslmode=disable']);
  });

  it('gives one URL per host, keeping user, database and parameters', () => {
    expect(splitHosts('postgresql://app:secret@db1:5432,db2:5433/app?application_name=x')).toEqual([
      'postgresql://app:secret@db1:5432/app?application_name=x',
      'postgresql://app:secret@db2:5433/app?application_name=x',
    ]);
  });

  it('splits hosts without user or port', () => {
    expect(splitHosts('postgres://h1,h2/db')).toEqual(['postgres://h1/db', 'postgres://h2/db']);
  });
});
