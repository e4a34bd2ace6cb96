import { DatabaseError } from 'pg';
import { classifyStatementFailure } from './statement-failure';

function serverError(code: string, routine?: string): DatabaseError {
  const error = new DatabaseError('server error', 0, 'error');
  error.code = code;
  error.routine = routine;
  return error;
}

describe('classifyStatementFailure', () => {
  it('recognizes the plan cache refusing a changed result type', () => {
    expect(classifyStatementFailure(serverError('0A000', 'RevalidateCachedQuery'))).toBe('statement-stale');
  });

  it('leaves other unsupported-feature errors to the caller', () => {
    expect(classifyStatementFailure(serverError('0A000', 'transformLockingClause'))).toBe('statement-error');
  });

  it('recognizes a statement the server does not have, and one it has that pg does not know', () => {
    expect(classifyStatementFailure(serverError('26000'))).toBe('statement-missing');
    expect(classifyStatementFailure(serverError('42P05'))).toBe('statement-stale');
  });

  it('treats plain server errors as the statement\'s own', () => {
    expect(classifyStatementFailure(serverError('23505'))).toBe('statement-error');
  });

  it('treats errors raised outside the server as leaving the statement in an unknown state', () => {
    expect(classifyStatementFailure(new TypeError('Do not know how to serialize a BigInt'))).toBe('state-unknown');
  });
});
