import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describeDotEnv, loadDotEnv, parseDotEnv, parseDotEnvFallback } from './load-dot-env';

const SAMPLE = [
  '# a comment',
  'DATABASE_PRIMARY_URL=postgres://app@db:5432/app',
  'export PORT=4000',
  'ENABLE_CACHE=true   # trailing comment',
  'QUOTED="a # b"',
  "SINGLE='x y'",
  '',
].join('\n');

describe('loadDotEnv', () => {
  let folder: string;

  beforeEach(() => {
    folder = mkdtempSync(join(tmpdir(), 'dotenv-'));
  });

  afterEach(() => rmSync(folder, { recursive: true, force: true }));

  it('loads the variables of the file and names it', () => {
    const path = join(folder, '.env');
    writeFileSync(path, SAMPLE);
    const env: NodeJS.ProcessEnv = {};
    const result = loadDotEnv(path, env);
    expect(env).toEqual({
      DATABASE_PRIMARY_URL: 'postgres://app@db:5432/app',
      PORT: '4000',
      ENABLE_CACHE: 'true',
      QUOTED: 'a # b',
      SINGLE: 'x y',
    });
    expect(describeDotEnv(result)).toBe(`Loaded 5 variable(s) from ${path}.`);
  });

  it('never overrides a variable already set, and says which it kept', () => {
    const path = join(folder, '.env');
    writeFileSync(path, SAMPLE);
    const env: NodeJS.ProcessEnv = { PORT: '5000', ENABLE_CACHE: '' };
    const result = loadDotEnv(path, env);
    expect([env['PORT'], env['ENABLE_CACHE']]).toEqual(['5000', '']);
    expect(result.kept).toEqual(['ENABLE_CACHE', 'PORT']);
    expect(describeDotEnv(result)).toMatch(/Loaded 3 variable\(s\) from .*; already set, kept from the environment: ENABLE_CACHE, PORT\./);
  });

  it('changes nothing when the file is missing, and says so', () => {
    const env: NodeJS.ProcessEnv = { PORT: '1' };
    const result = loadDotEnv(join(folder, '.env'), env);
    expect(env).toEqual({ PORT: '1' });
    expect(result.found).toBe(false);
    expect(describeDotEnv(result)).toMatch(/^No .*\.env: using the environment only/);
  });
});

describe('parseDotEnvFallback', () => {
  it('reads the format the way Node does', () => {
    expect(parseDotEnvFallback(SAMPLE)).toEqual(parseDotEnv(SAMPLE));
  });
});
